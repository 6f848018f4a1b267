/**
 * Bot Framework authentication from Baton's configuration: the app's credentials (MICROSOFT_APP_*) and, for
 * sovereign clouds and tests, where incoming tokens' keys are published, the issuer they must carry and where Baton
 * gets its own tokens (BOTFRAMEWORK_*).
 */

import type { Activity } from "botbuilder";
import { ConfigurationBotFrameworkAuthentication, ConfigurationServiceClientCredentialFactory } from "botbuilder";
import {
  type AuthenticateRequestResult,
  AuthenticationConstants,
  AuthenticationError,
  BotFrameworkAuthentication,
  type BotFrameworkClient,
  type ClaimsIdentity,
  type ConnectorClient,
  ConnectorFactory,
  type UserTokenClient,
} from "botframework-connector";
import type { RuntimeConfig } from "../config/env.ts";

export type TeamsCredentials = NonNullable<RuntimeConfig["teams"]>;

/**
 * Builds the authentication CloudAdapter uses both ways: validating the JWT on every request to `/api/messages`
 * and acquiring tokens for proactive calls to the Bot Connector.
 */
export function createBotFrameworkAuth(
  teams: TeamsCredentials,
  botFramework: RuntimeConfig["botFramework"],
): BotFrameworkAuthentication {
  const credentials = {
    MicrosoftAppId: teams.appId,
    MicrosoftAppPassword: teams.appPassword,
    MicrosoftAppType: teams.appType,
    ...(teams.tenantId ? { MicrosoftAppTenantId: teams.tenantId } : {}),
  };
  // Once one endpoint is overridden, botbuilder treats the whole set as given; unset ones keep the public cloud's.
  const loginUrl =
    botFramework.loginUrl ??
    (teams.appType === "SingleTenant" && teams.tenantId
      ? `${AuthenticationConstants.ToChannelFromBotLoginUrlPrefix}${teams.tenantId}`
      : AuthenticationConstants.ToChannelFromBotLoginUrl);
  const auth = new ConfigurationBotFrameworkAuthentication(
    {
      ...credentials,
      ToChannelFromBotLoginUrl: loginUrl,
      ToChannelFromBotOAuthScope: AuthenticationConstants.ToChannelFromBotOAuthScope,
      ToBotFromChannelTokenIssuer: botFramework.tokenIssuer ?? AuthenticationConstants.ToBotFromChannelTokenIssuer,
      OAuthUrl: AuthenticationConstants.OAuthUrl,
      ToBotFromChannelOpenIdMetadataUrl:
        botFramework.openIdMetadataUrl ?? AuthenticationConstants.ToBotFromChannelOpenIdMetadataUrl,
      ToBotFromEmulatorOpenIdMetadataUrl: AuthenticationConstants.ToBotFromEmulatorOpenIdMetadataUrl,
      CallerId: "urn:botframework:azure",
      // Sovereign and test authorities are not in MSAL's list of known clouds.
      ValidateAuthority: !botFramework.loginUrl,
    },
    new ConfigurationServiceClientCredentialFactory(credentials),
  );
  return new UnauthorizedOnBadToken(auth);
}

/**
 * botbuilder answers a token with a bad signature or audience with 500 (jsonwebtoken's error is not an
 * AuthenticationError). To the caller it is a bad credential: 401.
 */
class UnauthorizedOnBadToken extends BotFrameworkAuthentication {
  constructor(private readonly inner: BotFrameworkAuthentication) {
    super();
  }

  override async authenticateRequest(activity: Activity, authHeader: string): Promise<AuthenticateRequestResult> {
    return asUnauthorized(() => this.inner.authenticateRequest(activity, authHeader));
  }

  override async authenticateStreamingRequest(
    authHeader: string,
    channelIdHeader: string,
  ): Promise<AuthenticateRequestResult> {
    return asUnauthorized(() => this.inner.authenticateStreamingRequest(authHeader, channelIdHeader));
  }

  override authenticateChannelRequest(authHeader: string): Promise<ClaimsIdentity> {
    return asUnauthorized(() => this.inner.authenticateChannelRequest(authHeader));
  }

  override createConnectorFactory(claimsIdentity: ClaimsIdentity): ConnectorFactory {
    return new FailFastConnectorFactory(this.inner.createConnectorFactory(claimsIdentity));
  }

  override createUserTokenClient(claimsIdentity: ClaimsIdentity): Promise<UserTokenClient> {
    return this.inner.createUserTokenClient(claimsIdentity);
  }

  override createBotFrameworkClient(): BotFrameworkClient {
    return this.inner.createBotFrameworkClient();
  }
}

async function asUnauthorized<T>(authenticate: () => Promise<T>): Promise<T> {
  try {
    return await authenticate();
  } catch (error) {
    if (error instanceof AuthenticationError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new AuthenticationError(`Unauthorized: ${reason}`, 401);
  }
}

/**
 * The outbox owns retries and honours Retry-After across restarts; the connector client's own retry policy would
 * sleep inside a delivery (7 s for a Teams 429) and hide the 429 from it. botbuilder forwards no retry options to
 * its HTTP pipeline, so the policy is taken out of each client it creates.
 */
class FailFastConnectorFactory extends ConnectorFactory {
  constructor(private readonly inner: ConnectorFactory) {
    super();
  }

  override async create(serviceUrl: string, audience?: string): Promise<ConnectorClient> {
    const connector = await this.inner.create(serviceUrl, audience);
    const pipeline = (connector as unknown as { client?: { pipeline?: RetryPhasePipeline } }).client?.pipeline;
    if (!pipeline) throw new Error("botbuilder's ConnectorClient no longer exposes its HTTP pipeline");
    pipeline.removePolicy({ phase: "Retry" });
    return connector;
  }
}

interface RetryPhasePipeline {
  removePolicy(options: { phase: "Retry" }): unknown;
}
