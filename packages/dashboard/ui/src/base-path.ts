/**
 * The path the dashboard is mounted under, from the `<base href>` the server injects: "" for the
 * root, else "/monitoring" (no trailing slash). Without a <base> element (a page not served by
 * the dashboard) the root is assumed, since the current URL may be any deep link.
 */
export function mountPath(doc: Document = document): string {
  if (doc.querySelector("base[href]") === null) return "";
  return new URL(doc.baseURI).pathname.replace(/\/+$/, "");
}

/** The router's basename: the mount path, or "/" at the root. */
export function routerBasename(doc: Document = document): string {
  return mountPath(doc) || "/";
}

/** Root of the JSON API, e.g. "/monitoring/api". */
export function apiRoot(doc: Document = document): string {
  return `${mountPath(doc)}/api`;
}
