import {
  createHttpHeaders,
  createPipelineRequest,
  type HttpMethods,
  type PipelineRequest,
  type PipelineResponse,
} from '@azure/core-rest-pipeline';

/** A client whose pipeline (token, retries, throttling) carries the request: an SDK client. */
export interface PipelineClient {
  sendRequest(request: PipelineRequest): Promise<PipelineResponse>;
}

/** Resource Manager calls the SDKs lack, sent through an SDK client's own pipeline. */
export interface ArmRest {
  send<T>(
    method: HttpMethods,
    path: string,
    apiVersion: string,
    body?: unknown,
    query?: Record<string, string>,
  ): Promise<T>;
  /** Every item of a paged list, following nextLink. */
  list<T>(path: string, apiVersion: string, query?: Record<string, string>): Promise<T[]>;
  /** A paged list a page at a time, each fetched when the one before it has been taken. */
  pages<T>(path: string, apiVersion: string, query?: Record<string, string>): AsyncIterable<T[]>;
}

export function armRest(client: PipelineClient, armEndpoint: string): ArmRest {
  const call = async <T>(method: HttpMethods, url: string, body?: unknown): Promise<T> => {
    const request = createPipelineRequest({ url, method });
    if (body !== undefined) {
      request.headers = createHttpHeaders({ 'Content-Type': 'application/json' });
      request.body = JSON.stringify(body);
    }
    const response = await client.sendRequest(request);
    const text = response.bodyAsText ?? undefined;
    if (response.status >= 300) {
      throw restError(response.status, text, response.headers.get('x-ms-correlation-request-id'));
    }
    return (text ? JSON.parse(text) : {}) as T;
  };
  const urlOf = (path: string, apiVersion: string, query: Record<string, string> = {}) =>
    `${armEndpoint.replace(/\/+$/, '')}${path}?${new URLSearchParams({ 'api-version': apiVersion, ...query })}`;
  async function* pages<T>(
    path: string,
    apiVersion: string,
    query?: Record<string, string>,
  ): AsyncGenerator<T[]> {
    let url: string | undefined = urlOf(path, apiVersion, query);
    while (url) {
      const page: { value?: T[]; nextLink?: string } = await call('GET', url);
      yield page.value ?? [];
      url = page.nextLink;
    }
  }
  return {
    send: (method, path, apiVersion, body, query) =>
      call(method, urlOf(path, apiVersion, query), body),
    pages,
    async list<T>(path: string, apiVersion: string, query?: Record<string, string>) {
      const items: T[] = [];
      for await (const page of pages<T>(path, apiVersion, query)) items.push(...page);
      return items;
    },
  };
}

/** An error shaped like the SDK's (statusCode, code, message), so describeError reads it alike. */
function restError(status: number, body: string | undefined, correlationId?: string): Error {
  let code: string | undefined;
  let message = `the request failed with status ${status}`;
  try {
    const parsed = JSON.parse(body ?? '') as { error?: { code?: string; message?: string } };
    code = parsed.error?.code;
    message = parsed.error?.message ?? message;
  } catch {
    // not JSON: keep the generic message
  }
  return Object.assign(new Error(message), { statusCode: status, code, correlationId });
}

/** ARM's systemData, as far as the action reads it. */
export interface WireSystemData {
  systemData?: { lastModifiedAt?: string };
}

/** When a resource was last written, from its systemData. */
export const modifiedOn = (r: WireSystemData) =>
  r.systemData?.lastModifiedAt ? new Date(r.systemData.lastModifiedAt) : undefined;
