import {
  GitHubIssues,
  type GitHubAccess,
  type GitHubComment,
  type GitHubIssue,
  type IssueState,
  type IssueStateReason,
} from '../github.js';
import { json, matchSegments, type Reply } from '../http.js';

/**
 * The few endpoints of GitHub's REST API the action uses, under `/_github/api` (so that
 * GITHUB_API_URL=<emulator>/_github/api works): list a repository's issues, create one, comment on
 * one, and change its state. Shapes follow docs.github.com/rest/issues.
 */

export const GITHUB_API_PREFIX = ['_github', 'api'];
const DOCS = 'https://docs.github.com/rest/issues';
/** Shorter tokens are not remembered as secrets: leak scans would match them by chance. */
const minimumRememberedLength = 8;

export interface GitHubRequest {
  method: string;
  segments: string[];
  query: URLSearchParams;
  rawBody: string;
  authorization?: string;
  baseUrl: string;
}

interface GitHubContext {
  request: GitHubRequest;
  repository: string;
  params: Record<string, string>;
  /** `<base>/_github/api`, for the URLs in answers. */
  api: string;
}

interface GitHubRoute {
  method: string;
  pattern: string[];
  name: string;
  write: boolean;
  handle: (context: GitHubContext) => Reply;
}

export interface GitHubApiOptions {
  access?: GitHubAccess;
  rememberSecret: (value: string) => void;
}

export class GitHubApi {
  readonly issues = new GitHubIssues();

  constructor(private readonly options: GitHubApiOptions) {}

  operationFor(method: string, segments: string[]): string | undefined {
    return this.route(method, segments)?.route.name;
  }

  handle(request: GitHubRequest): Reply | undefined {
    const found = this.route(request.method, request.segments);
    if (!found) return undefined;
    const token = /^(?:token|Bearer)\s+(\S+)$/i.exec(request.authorization ?? '')?.[1];
    if (!token) return githubError(401, 'Requires authentication', 'https://docs.github.com/rest');
    if (token.length >= minimumRememberedLength) this.options.rememberSecret(token);
    const access = this.options.access ?? 'write';
    if (access === 'none' || (access === 'read' && found.route.write)) {
      return githubError(403, 'Resource not accessible by integration', DOCS);
    }
    const { owner, repo } = found.params as { owner: string; repo: string };
    return found.route.handle({
      request,
      repository: `${owner}/${repo}`,
      params: found.params,
      api: `${request.baseUrl}/${GITHUB_API_PREFIX.join('/')}`,
    });
  }

  private route(method: string, segments: string[]) {
    if (!GITHUB_API_PREFIX.every((part, index) => segments[index] === part)) return undefined;
    const rest = segments.slice(GITHUB_API_PREFIX.length);
    for (const route of this.routes) {
      const params = matchSegments(route.pattern, rest);
      if (params && route.method === method) return { route, params };
    }
    return undefined;
  }

  private readonly routes: GitHubRoute[] = [
    {
      method: 'GET',
      pattern: 'repos/:owner/:repo/issues'.split('/'),
      name: 'GitHub.issues.listForRepo',
      write: false,
      handle: (c) => this.list(c),
    },
    {
      method: 'POST',
      pattern: 'repos/:owner/:repo/issues'.split('/'),
      name: 'GitHub.issues.create',
      write: true,
      handle: (c) => this.create(c),
    },
    {
      method: 'GET',
      pattern: 'repos/:owner/:repo/issues/:number'.split('/'),
      name: 'GitHub.issues.get',
      write: false,
      handle: (c) => this.withIssue(c, (issue) => json(200, issueJson(issue, c.api))),
    },
    {
      method: 'PATCH',
      pattern: 'repos/:owner/:repo/issues/:number'.split('/'),
      name: 'GitHub.issues.update',
      write: true,
      handle: (c) => this.withIssue(c, (issue) => this.update(c, issue)),
    },
    {
      method: 'POST',
      pattern: 'repos/:owner/:repo/issues/:number/comments'.split('/'),
      name: 'GitHub.issues.createComment',
      write: true,
      handle: (c) => this.withIssue(c, (issue) => this.comment(c, issue)),
    },
  ];

  private list(c: GitHubContext): Reply {
    const query = c.request.query;
    const state = query.get('state') ?? 'open';
    if (!['open', 'closed', 'all'].includes(state)) {
      return validationFailed('Issue', 'state', 'invalid');
    }
    const labels = (query.get('labels') ?? '')
      .split(',')
      .map((label) => label.trim())
      .filter(Boolean);
    const all = this.issues.list(c.repository, { state: state as IssueState | 'all', labels });
    const perPage = Math.min(100, Math.max(1, Number(query.get('per_page') ?? 30) || 30));
    const page = Math.max(1, Number(query.get('page') ?? 1) || 1);
    const shown = all.slice((page - 1) * perPage, page * perPage);
    const headers: Record<string, string> = {};
    const last = Math.ceil(all.length / perPage);
    if (page < last) {
      const link = (n: number) => {
        const next = new URLSearchParams(query);
        next.set('page', String(n));
        return `${c.api}/repos/${c.repository}/issues?${next.toString()}`;
      };
      headers.Link = `<${link(page + 1)}>; rel="next", <${link(last)}>; rel="last"`;
    }
    return json(
      200,
      shown.map((issue) => issueJson(issue, c.api)),
      headers,
    );
  }

  private create(c: GitHubContext): Reply {
    const body = parseBody(c.request.rawBody);
    if (body instanceof SyntaxError) return problemsParsingJson();
    if (typeof body.title !== 'string' || body.title.trim() === '') {
      return validationFailed('Issue', 'title', 'missing_field');
    }
    const labels = Array.isArray(body.labels)
      ? body.labels.map((label) =>
          typeof label === 'string' ? label : String((label as { name?: unknown })?.name ?? ''),
        )
      : [];
    const issue = this.issues.create(c.repository, {
      title: body.title,
      body: typeof body.body === 'string' ? body.body : '',
      labels: labels.filter(Boolean),
    });
    return json(201, issueJson(issue, c.api), {
      Location: `${c.api}/repos/${c.repository}/issues/${issue.number}`,
    });
  }

  private update(c: GitHubContext, issue: GitHubIssue): Reply {
    const body = parseBody(c.request.rawBody);
    if (body instanceof SyntaxError) return problemsParsingJson();
    if (body.state !== undefined && body.state !== 'open' && body.state !== 'closed') {
      return validationFailed('Issue', 'state', 'invalid');
    }
    const reasons = ['completed', 'not_planned', 'reopened', null];
    if (body.state_reason !== undefined && !reasons.includes(body.state_reason as string)) {
      return validationFailed('Issue', 'state_reason', 'invalid');
    }
    this.issues.update(issue, {
      title: typeof body.title === 'string' ? body.title : undefined,
      body: typeof body.body === 'string' ? body.body : undefined,
      state: body.state as IssueState | undefined,
      stateReason: body.state_reason as IssueStateReason | undefined,
    });
    return json(200, issueJson(issue, c.api));
  }

  private comment(c: GitHubContext, issue: GitHubIssue): Reply {
    const body = parseBody(c.request.rawBody);
    if (body instanceof SyntaxError) return problemsParsingJson();
    if (typeof body.body !== 'string' || body.body.trim() === '') {
      return validationFailed('IssueComment', 'body', 'missing_field');
    }
    const comment = this.issues.comment(issue, body.body);
    return json(201, commentJson(comment, issue, c.api), {
      Location: `${c.api}/repos/${c.repository}/issues/comments/${comment.id}`,
    });
  }

  private withIssue(c: GitHubContext, then: (issue: GitHubIssue) => Reply): Reply {
    const issue = this.issues.get(c.repository, Number(c.params.number));
    return issue ? then(issue) : githubError(404, 'Not Found', DOCS);
  }
}

const BOT = { login: 'github-actions[bot]', id: 41898282, type: 'Bot', site_admin: false };

function issueJson(issue: GitHubIssue, api: string) {
  const url = `${api}/repos/${issue.repository}/issues/${issue.number}`;
  return {
    url,
    repository_url: `${api}/repos/${issue.repository}`,
    labels_url: `${url}/labels{/name}`,
    comments_url: `${url}/comments`,
    events_url: `${url}/events`,
    html_url: `${htmlBase(api)}/${issue.repository}/issues/${issue.number}`,
    id: issue.id,
    node_id: `I_emulated${issue.id}`,
    number: issue.number,
    title: issue.title,
    user: BOT,
    labels: issue.labels.map((name, index) => ({
      id: 7_000_000 + index,
      node_id: `LA_emulated${index}`,
      url: `${api}/repos/${issue.repository}/labels/${encodeURIComponent(name)}`,
      name,
      color: 'ededed',
      default: false,
      description: null,
    })),
    state: issue.state,
    state_reason: issue.stateReason,
    locked: false,
    assignee: null,
    assignees: [],
    milestone: null,
    comments: issue.comments.length,
    created_at: issue.createdAt,
    updated_at: issue.updatedAt,
    closed_at: issue.closedAt,
    author_association: 'NONE',
    active_lock_reason: null,
    body: issue.body,
  };
}

function commentJson(comment: GitHubComment, issue: GitHubIssue, api: string) {
  return {
    id: comment.id,
    node_id: `IC_emulated${comment.id}`,
    url: `${api}/repos/${issue.repository}/issues/comments/${comment.id}`,
    html_url: `${htmlBase(api)}/${issue.repository}/issues/${issue.number}#issuecomment-${comment.id}`,
    issue_url: `${api}/repos/${issue.repository}/issues/${issue.number}`,
    body: comment.body,
    user: BOT,
    created_at: comment.createdAt,
    updated_at: comment.createdAt,
    author_association: 'NONE',
  };
}

/** `<base>/_github/api` → `<base>/_github`, the stand-in for https://github.com. */
const htmlBase = (api: string) => api.replace(/\/api$/, '');

function parseBody(raw: string): Record<string, unknown> | SyntaxError {
  if (raw.trim() === '') return {};
  try {
    const value = JSON.parse(raw) as unknown;
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : new SyntaxError('not an object');
  } catch (error) {
    return error instanceof SyntaxError ? error : new SyntaxError(String(error));
  }
}

function githubError(status: number, message: string, documentation: string): Reply {
  return json(status, { message, documentation_url: documentation, status: String(status) });
}

function validationFailed(resource: string, field: string, code: string): Reply {
  return json(422, {
    message: 'Validation Failed',
    errors: [{ resource, code, field }],
    documentation_url: DOCS,
    status: '422',
  });
}

function problemsParsingJson(): Reply {
  return githubError(400, 'Problems parsing JSON', DOCS);
}
