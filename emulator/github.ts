/** GitHub issues, as the stand-in for GitHub's REST API keeps them (routes in routes/github.ts). */

export type IssueState = 'open' | 'closed';
export type IssueStateReason = 'completed' | 'not_planned' | 'reopened' | null;

export interface GitHubComment {
  id: number;
  body: string;
  createdAt: string;
}

export interface GitHubIssue {
  /** owner/repo, as first written. */
  repository: string;
  id: number;
  number: number;
  title: string;
  body: string;
  labels: string[];
  state: IssueState;
  stateReason: IssueStateReason;
  comments: GitHubComment[];
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
}

/**
 * What the token the action presents may do: `write` (issues: write), `read` (issues: read, so
 * every write is refused), `none` (no access to issues at all). GitHub answers a refusal with 403.
 */
export type GitHubAccess = 'write' | 'read' | 'none';

export interface GitHubOptions {
  access?: GitHubAccess;
}

export interface IssueFilter {
  state: IssueState | 'all';
  /** Every one of these labels, compared case-insensitively. */
  labels: string[];
}

export class GitHubIssues {
  private readonly issues: GitHubIssue[] = [];
  private nextId = 1_000_001;

  /** Newest first, as GitHub lists them by default. */
  list(repository: string, filter: IssueFilter): GitHubIssue[] {
    const wanted = filter.labels.map((label) => label.toLowerCase());
    return this.issues
      .filter((issue) => sameRepository(issue.repository, repository))
      .filter((issue) => filter.state === 'all' || issue.state === filter.state)
      .filter((issue) =>
        wanted.every((label) => issue.labels.some((have) => have.toLowerCase() === label)),
      )
      .sort((a, b) => b.number - a.number);
  }

  get(repository: string, number: number): GitHubIssue | undefined {
    return this.issues.find(
      (issue) => sameRepository(issue.repository, repository) && issue.number === number,
    );
  }

  create(repository: string, fields: { title: string; body: string; labels: string[] }) {
    const now = new Date().toISOString();
    const number =
      1 +
      Math.max(
        0,
        ...this.issues
          .filter((issue) => sameRepository(issue.repository, repository))
          .map((issue) => issue.number),
      );
    const issue: GitHubIssue = {
      repository,
      id: this.nextId++,
      number,
      title: fields.title,
      body: fields.body,
      labels: [...new Set(fields.labels)],
      state: 'open',
      stateReason: null,
      comments: [],
      createdAt: now,
      updatedAt: now,
      closedAt: null,
    };
    this.issues.push(issue);
    return issue;
  }

  comment(issue: GitHubIssue, body: string): GitHubComment {
    const comment = { id: this.nextId++, body, createdAt: new Date().toISOString() };
    issue.comments.push(comment);
    issue.updatedAt = comment.createdAt;
    return comment;
  }

  update(
    issue: GitHubIssue,
    patch: { title?: string; body?: string; state?: IssueState; stateReason?: IssueStateReason },
  ): GitHubIssue {
    const now = new Date().toISOString();
    if (patch.title !== undefined) issue.title = patch.title;
    if (patch.body !== undefined) issue.body = patch.body;
    if (patch.state !== undefined && patch.state !== issue.state) {
      issue.state = patch.state;
      issue.closedAt = patch.state === 'closed' ? now : null;
      issue.stateReason =
        patch.stateReason ?? (patch.state === 'closed' ? 'completed' : 'reopened');
    } else if (patch.stateReason !== undefined) {
      issue.stateReason = patch.stateReason;
    }
    issue.updatedAt = now;
    return issue;
  }

  /** Every issue with its comments, as plain copies. */
  all(): GitHubIssue[] {
    return structuredClone(this.issues);
  }
}

function sameRepository(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}
