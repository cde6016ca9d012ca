import { Link } from "react-router";

/** Any path the dashboard has no page for. */
export function NotFoundPage() {
  return (
    <>
      <h1>Page not found</h1>
      <p>
        <Link to="/">Back to the queues</Link>
      </p>
    </>
  );
}
