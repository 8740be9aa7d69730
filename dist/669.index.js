export const id = 669;
export const ids = [669];
export const modules = {

/***/ 4669:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   ISSUE_LABEL: () => (/* binding */ ISSUE_LABEL),
/* harmony export */   describeGitHubError: () => (/* binding */ describeGitHubError),
/* harmony export */   githubTarget: () => (/* binding */ githubTarget),
/* harmony export */   issueTitle: () => (/* binding */ issueTitle),
/* harmony export */   markdownText: () => (/* binding */ markdownText),
/* harmony export */   notify: () => (/* binding */ notify)
/* harmony export */ });
/* harmony import */ var _actions_github__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(2413);
/* harmony import */ var _util_secrets_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(4537);


/** Every issue this action opens carries this label; one open issue per storage account. */
const ISSUE_LABEL = 'aml-storage-key-rotation';
/** Each GitHub call gives up after this long: a notification must not hold the job. */
const REQUEST_TIMEOUT_MS = 30_000;
/** GitHub caps an issue body at 65,536 characters; a long list is cut well before. */
const MAX_DETAILS = 30;
const MAX_LINE = 600;
/** The repository of the workflow run and the REST API to reach it (GITHUB_API_URL on GHES). */
function githubTarget(token, env = process.env) {
    const [owner, repo, ...rest] = (env.GITHUB_REPOSITORY ?? '').split('/');
    if (!owner || !repo || rest.length > 0) {
        throw new Error('GITHUB_REPOSITORY is not set to owner/repo: there is no repository to notify');
    }
    return { owner, repo, token, apiUrl: env.GITHUB_API_URL || 'https://api.github.com' };
}
function issueTitle(account) {
    return `Storage key rotation needs attention: ${account}`;
}
/** Hidden in the issue body: finds the account's issue even if someone renames it. */
const marker = (account) => `<!-- ${ISSUE_LABEL}: account=${account.toLowerCase()} -->`;
/**
 * Keeps one issue per storage account in step with the runs: opens it when a run needs a person,
 * comments on it while it stays open, and comments and closes it once a run ends cleanly.
 */
async function notify(target, attention) {
    const octokit = (0,_actions_github__WEBPACK_IMPORTED_MODULE_0__/* .getOctokit */ .Q)(target.token, { baseUrl: target.apiUrl });
    const repo = { owner: target.owner, repo: target.repo };
    const open = await findOpenIssue(octokit, target, attention.account);
    if (attention.needsAttention) {
        if (open) {
            await octokit.rest.issues.createComment({
                ...repo,
                issue_number: open.number,
                body: renderUpdate(attention),
                request: timeout(),
            });
            return { action: 'commented', issue: open };
        }
        const { data } = await octokit.rest.issues.create({
            ...repo,
            title: issueTitle(attention.account),
            body: `${marker(attention.account)}\n${renderUpdate(attention)}`,
            labels: [ISSUE_LABEL],
            request: timeout(),
        });
        return { action: 'opened', issue: { number: data.number, url: data.html_url } };
    }
    if (!open)
        return { action: 'nothing to close' };
    await octokit.rest.issues.createComment({
        ...repo,
        issue_number: open.number,
        body: renderResolved(attention),
        request: timeout(),
    });
    await octokit.rest.issues.update({
        ...repo,
        issue_number: open.number,
        state: 'closed',
        state_reason: 'completed',
        request: timeout(),
    });
    return { action: 'closed', issue: open };
}
async function findOpenIssue(octokit, target, account) {
    const issues = await octokit.paginate(octokit.rest.issues.listForRepo, {
        owner: target.owner,
        repo: target.repo,
        labels: ISSUE_LABEL,
        state: 'open',
        per_page: 100,
        request: timeout(),
    });
    const ours = issues
        .filter((issue) => !issue.pull_request)
        .filter((issue) => (issue.body ?? '').includes(marker(account)) || issue.title === issueTitle(account))
        .sort((a, b) => a.number - b.number)[0];
    return ours && { number: ours.number, url: ours.html_url };
}
const timeout = () => ({ signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
function renderUpdate(attention) {
    const shown = attention.details.slice(0, MAX_DETAILS);
    const more = attention.details.length - shown.length;
    return [
        `**${markdownText(attention.headline)}**`,
        ...(shown.length > 0
            ? [
                '',
                '### Needs attention',
                '',
                ...shown.map((line) => `- ${markdownText(line)}`),
                ...(more > 0 ? [`- ${more} more: see the run's job summary and JSON report`] : []),
            ]
            : []),
        '',
        runLink(attention.runUrl),
    ].join('\n');
}
function renderResolved(attention) {
    return [
        `**${markdownText(attention.headline)}**`,
        '',
        'This run ended cleanly, so this issue is closed.',
        '',
        runLink(attention.runUrl),
    ].join('\n');
}
function runLink(url) {
    const safe = /^https?:\/\/[^\s()<>]+$/.test(url) ? url : undefined;
    return safe ? `Workflow run: ${safe}` : 'Workflow run: (unknown)';
}
const ENTITIES = {
    '&': '&amp;',
    '<': '&lt;',
    '>': '&gt;',
    '`': '&#96;',
    '*': '&#42;',
    _: '&#95;',
    '~': '&#126;',
    '[': '&#91;',
    ']': '&#93;',
    '|': '&#124;',
    '\\': '&#92;',
};
/**
 * Text from Azure, made safe for an issue: secrets removed, one line, no markup, and no
 * @-mention or #-reference that would notify someone or link another issue.
 */
function markdownText(text) {
    const line = (0,_util_secrets_js__WEBPACK_IMPORTED_MODULE_1__/* .redact */ .E$)(text).replace(/\s+/g, ' ').trim();
    const short = line.length > MAX_LINE ? `${line.slice(0, MAX_LINE)}…` : line;
    // A zero-width space after '@' or '#' keeps "@team" and "#12" from notifying or linking.
    return short
        .replace(/([@#])(?=[\w-])/g, '$1\u200b')
        .replace(/[&<>`*_~[\]|\\]/g, (c) => ENTITIES[c]);
}
/** A failed GitHub call, as one sanitised sentence with what to do about it. */
function describeGitHubError(error, target) {
    const e = error;
    const data = e?.response?.data;
    const message = (data?.message ?? e?.message ?? String(error)).split(/\r?\n/)[0].trim();
    const where = target ? ` in ${target.owner}/${target.repo}` : '';
    const hint = e?.status === 403 || e?.status === 404
        ? ` Give the job 'permissions: issues: write' and a github-token that may write issues${where}.`
        : e?.status === 401
            ? ' Check github-token.'
            : '';
    const text = (0,_util_secrets_js__WEBPACK_IMPORTED_MODULE_1__/* .redact */ .E$)(`${e?.status ? `${e.status} ` : ''}${message}`);
    return `${/[.!?]$/.test(text) ? text : `${text}.`}${hint}`;
}


/***/ })

};
