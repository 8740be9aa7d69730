import type { VersionedType } from '../api-versions.js';
import { ArmError } from '../arm-errors.js';
import { json, queryString, type Reply } from '../http.js';
import type { PermissionsScenario } from '../scenario-types.js';
import type { WorkspaceState } from '../state/workspaces.js';
import type { World } from '../world.js';

/** What every ARM route handler gets: the world, the request, and where it came in. */
export interface ArmContext {
  world: World;
  permissions: PermissionsScenario | undefined;
  params: Record<string, string>;
  query: URLSearchParams;
  body: unknown;
  baseUrl: string;
  pathname: string;
  apiVersion: string;
  principal: string;
  /** Called after a resync starts so its completion can be scheduled. */
  onResyncStarted: () => void;
}

export interface ArmRoute {
  method: string;
  pattern: string[];
  /** SDK-style operation name, recorded on each request. */
  operation: string;
  /** The resource type whose api-versions the request must use. */
  type: VersionedType;
  /** The operation exists only from this api-version on. */
  since?: string;
  /** Changes state: listed by Emulator.writes(). */
  write?: boolean;
  /** RBAC action checked against the scenario's permissions; none for always-allowed routes. */
  action?: string;
  /** How many trailing path segments to drop to get the authorization scope. */
  scopeDrop?: number;
  handle: (context: ArmContext) => Reply;
}

export const SUB = 'subscriptions/:sub';
export const RG = `${SUB}/resourceGroups/:rg`;
export const STORAGE = 'providers/Microsoft.Storage/storageAccounts';
export const ML = 'providers/Microsoft.MachineLearningServices/workspaces';
export const ACCOUNT = `${RG}/${STORAGE}/:account`;
export const WORKSPACE = `${RG}/${ML}/:ws`;

export function route(
  method: string,
  pattern: string,
  operation: string,
  details: Omit<ArmRoute, 'method' | 'pattern' | 'operation'>,
): ArmRoute {
  return { method, pattern: pattern.split('/'), operation, ...details };
}

/** The workspace named in the path of a workspace (or workspace child) route. */
export function workspaceOf({ world, params }: ArmContext): WorkspaceState {
  return world.workspaces.require(params.rg as string, params.ws as string, params.sub as string);
}

/** The ARM list shape, paged by offset ($skip) with an absolute nextLink. */
export function page<T>(
  items: readonly T[],
  skip: number,
  size: number,
  nextLinkFor: (nextSkip: number) => string,
): { value: T[]; nextLink?: string } {
  const value = items.slice(skip, skip + size);
  const nextSkip = skip + size;
  return nextSkip < items.length ? { value, nextLink: nextLinkFor(nextSkip) } : { value };
}

export function parseSkip(raw: string | null): number {
  if (raw === null || raw === '') return 0;
  const skip = Number(raw);
  if (!Number.isInteger(skip) || skip < 0)
    throw new ArmError(400, 'BadRequest', `Invalid $skip '${raw}'.`);
  return skip;
}

/** The request's own URL with $skip replaced: other query parameters carry over. */
export function nextLink(context: ArmContext, nextSkip: number): string {
  const values: Array<[string, string]> = [];
  for (const [name, value] of context.query) if (name !== '$skip') values.push([name, value]);
  values.push(['$skip', String(nextSkip)]);
  return `${context.baseUrl}${context.pathname}?${queryString(values)}`;
}

/**
 * One page of items, `size` per page (the scenario's page size by default). `toResource` runs on
 * the page's items only, so a page costs the same however many items the list has.
 */
export function listPage<T>(
  context: ArmContext,
  items: readonly T[],
  size?: number,
  toResource: (item: T) => unknown = (item) => item,
): Reply {
  const skip = parseSkip(context.query.get('$skip'));
  const { value, nextLink: next } = page(items, skip, size ?? context.world.pageSize, (nextSkip) =>
    nextLink(context, nextSkip),
  );
  return json(
    200,
    next ? { value: value.map(toResource), nextLink: next } : { value: value.map(toResource) },
  );
}
