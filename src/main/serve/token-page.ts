// The page a browser gets when it opens serve mode without the right
// token: what happened and how to get the right URL, instead of a blank
// app that cannot connect.

const escape = (text: string): string => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function tokenPage(problem: 'missing' | 'wrong', origin: string): string {
  const what =
    problem === 'missing'
      ? 'This address has no access token, so the page cannot connect to the session.'
      : 'The access token in this address is not the one this server accepts: it may come from an earlier run of the server.';
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>ummunotify: access token ${problem}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40em;margin:3em auto;padding:0 1em}code{background:#eee;padding:0 .2em}</style></head>
<body data-testid="token-refused" data-problem="${problem}">
<h1>ummunotify: access token ${problem}</h1>
<p>${escape(what)}</p>
<p>The server prints the full address, token included, when it starts:</p>
<pre><code>ummunotify serve: listening on ${escape(origin)}/?token=…</code></pre>
<p>Open that address (copy it from the terminal where <code>npm run serve</code> runs), or restart the server to get a new one.
The token keeps other web pages and other users of this machine from driving your session.</p>
</body></html>
`;
}
