/**
 * One error type for everything Baton refuses on purpose. The code decides the HTTP status (one map, here) and
 * the `userMessage` is what a person may see in chat; anything else is wrapped as INTERNAL at the edge.
 */
export const ERROR_STATUS = {
  INVALID_INPUT: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  UNAVAILABLE: 503,
  INTERNAL: 500,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export class AppError extends Error {
  override name = "AppError";
  readonly code: ErrorCode;
  readonly userMessage: string;
  readonly details: unknown;

  constructor(code: ErrorCode, options: { message: string; userMessage?: string; details?: unknown; cause?: unknown }) {
    super(options.message, { cause: options.cause });
    this.code = code;
    this.userMessage = options.userMessage ?? options.message;
    this.details = options.details;
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }

  /** Wraps anything thrown into an AppError; unknown errors become INTERNAL with a generic user message. */
  static from(error: unknown): AppError {
    if (error instanceof AppError) return error;
    return new AppError("INTERNAL", {
      message: error instanceof Error ? error.message : String(error),
      userMessage: "Something went wrong on Baton's side. It has been logged; please try again.",
      cause: error,
    });
  }
}
