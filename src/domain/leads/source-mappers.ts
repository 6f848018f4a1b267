/**
 * Marketing systems' own shapes, mapped to Baton's generic MQL. The original body is stored as the raw payload;
 * these only pick the fields Baton understands.
 */

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json =>
  value !== null && typeof value === "object" && !Array.isArray(value);

/** HubSpot property values come as strings, or as `{ value }` objects in the older contact API. */
function hubspotValue(properties: Json, name: string): unknown {
  const raw = properties[name];
  return isObject(raw) && "value" in raw ? raw.value : raw;
}

const definedOnly = (object: Json): Json =>
  Object.fromEntries(
    Object.entries(object).filter(([, value]) => value !== undefined && value !== null && value !== ""),
  );

export type MqlSource = "hubspot" | "salesforce" | "marketo";

/** A HubSpot contact (CRM v3 object or webhook/workflow payload): `{ id, properties: { email, firstname, … } }`. */
export function fromHubspot(body: unknown): Json {
  if (!isObject(body)) return {};
  const properties = isObject(body.properties) ? body.properties : {};
  const prop = (name: string) => hubspotValue(properties, name);
  return definedOnly({
    source: "hubspot",
    externalId: prop("hs_object_id") ?? body.id ?? body.objectId ?? body.vid,
    email: prop("email"),
    firstName: prop("firstname"),
    lastName: prop("lastname"),
    company: prop("company"),
    title: prop("jobtitle"),
    phone: prop("phone") ?? prop("mobilephone"),
    country: prop("country"),
    region: prop("region") ?? prop("hs_region"),
    employees: prop("numemployees") ?? prop("employees"),
    industry: prop("industry"),
    score: prop("hubspotscore") ?? prop("hs_lead_score"),
    campaign: prop("hs_analytics_first_touch_converting_campaign") ?? prop("campaign"),
    channel: prop("hs_analytics_source") ?? prop("hs_latest_source"),
    notes: prop("message") ?? prop("notes"),
    website: prop("website"),
    createdAt: prop("createdate") ?? body.createdAt,
  });
}

/** A Salesforce Lead record (REST/Outbound-message JSON): `{ Id, Email, FirstName, Company, … }`. */
export function fromSalesforce(body: unknown): Json {
  if (!isObject(body)) return {};
  return definedOnly({
    source: "salesforce",
    externalId: body.Id,
    email: body.Email,
    firstName: body.FirstName,
    lastName: body.LastName,
    company: body.Company,
    title: body.Title,
    phone: body.Phone ?? body.MobilePhone,
    // `Country` is free text in many orgs ("United Kingdom"); only an ISO code is usable for routing.
    country:
      body.CountryCode ??
      (typeof body.Country === "string" && /^[A-Za-z]{2}$/.test(body.Country) ? body.Country : undefined),
    region: body.Region__c,
    employees: body.NumberOfEmployees,
    industry: body.Industry,
    score: body.Lead_Score__c ?? body.Score__c,
    campaign: body.Campaign__c ?? body.CampaignName__c,
    channel: body.LeadSource,
    notes: body.Description,
    website: body.Website,
    createdAt: body.CreatedDate,
  });
}

/** A Marketo lead (REST API shape): `{ id, email, firstName, company, … }`. */
export function fromMarketo(body: unknown): Json {
  if (!isObject(body)) return {};
  return definedOnly({
    source: "marketo",
    externalId: body.id,
    email: body.email,
    firstName: body.firstName,
    lastName: body.lastName,
    company: body.company,
    title: body.title,
    phone: body.phone ?? body.mobilePhone,
    country: body.country,
    region: body.region,
    employees: body.numberOfEmployees,
    industry: body.industry,
    score: body.leadScore ?? body.score,
    campaign: body.acquisitionProgramName ?? body.campaign,
    channel: body.leadSource ?? body.originalSourceType,
    notes: body.notes,
    website: body.website,
    createdAt: body.createdAt,
  });
}

export const SOURCE_MAPPERS: Record<MqlSource, (body: unknown) => Json> = {
  hubspot: fromHubspot,
  salesforce: fromSalesforce,
  marketo: fromMarketo,
};
