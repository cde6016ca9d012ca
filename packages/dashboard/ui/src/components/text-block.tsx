import { prettyText } from "../format.js";

/** Props of {@link TextBlock}. */
export interface TextBlockProps {
  readonly text: string;
  readonly truncated?: boolean;
  readonly testId?: string;
  /** Shown when the text is empty. */
  readonly empty?: string;
}

/**
 * A payload, result or error: pretty-printed when it is a JSON object or array, else verbatim.
 * Always rendered as a text node, so markup in it is shown, never interpreted.
 */
export function TextBlock({ text, truncated, testId, empty = "(empty)" }: TextBlockProps) {
  if (text === "") {
    return (
      <p className="muted" data-testid={testId}>
        {empty}
      </p>
    );
  }
  const shown = prettyText(text);
  return (
    <div>
      <pre className={shown.json ? "code json" : "code"} data-testid={testId}>
        {shown.text}
      </pre>
      {truncated ? <p className="muted small">Cut to the configured length.</p> : null}
    </div>
  );
}
