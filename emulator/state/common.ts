import { userError } from '../arm-errors.js';

/** Small things every resource module shares. */

export const DAY_MS = 86_400_000;

/** ARM names compare case-insensitively. */
export function sameName(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

export interface SystemData {
  createdAt: string;
  createdBy: string;
  createdByType: string;
  lastModifiedAt: string;
  lastModifiedBy: string;
  lastModifiedByType: string;
}

export function systemData(createdAt: string, lastModifiedAt: string): SystemData {
  return {
    createdAt,
    createdBy: 'someone@example.com',
    createdByType: 'User',
    lastModifiedAt,
    lastModifiedBy: 'someone@example.com',
    lastModifiedByType: 'User',
  };
}

/** systemData after a write by the caller (an application: the action's principal). */
export function modifiedByCaller(data: SystemData, at: string): SystemData {
  return {
    ...data,
    lastModifiedAt: at,
    lastModifiedBy: 'emulator-caller',
    lastModifiedByType: 'Application',
  };
}

export type JsonObject = Record<string, unknown>;

export function asObject(value: unknown): JsonObject | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as JsonObject)
    : undefined;
}

/** The object a request must carry, or the ML service's 400 UserError. */
export function requireObject(value: unknown, message: string): JsonObject {
  const object = asObject(value);
  if (!object) throw userError(message);
  return object;
}
