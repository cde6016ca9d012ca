import { useState } from "react";

/** The filter a tab applies: substrings of the task type and of the payload. */
export interface TaskFilterValue {
  readonly type: string;
  readonly payload: string;
}

/** Props of {@link TaskFilter}. */
export interface TaskFilterProps {
  readonly value: TaskFilterValue;
  onChange(value: TaskFilterValue): void;
}

/** Type and payload search for the current tab; applied on submit, cleared with Reset. */
export function TaskFilter({ value, onChange }: TaskFilterProps) {
  const [type, setType] = useState(value.type);
  const [payload, setPayload] = useState(value.payload);
  const active = value.type !== "" || value.payload !== "";
  return (
    <form
      className="filter"
      aria-label="Filter tasks"
      onSubmit={(event) => {
        event.preventDefault();
        onChange({ type: type.trim(), payload: payload.trim() });
      }}
    >
      <label>
        Type
        <input
          type="search"
          value={type}
          placeholder="e.g. email:send"
          onChange={(event) => setType(event.target.value)}
          data-testid="filter-type"
        />
      </label>
      <label>
        Payload contains
        <input
          type="search"
          value={payload}
          placeholder="text in the payload"
          onChange={(event) => setPayload(event.target.value)}
          data-testid="filter-payload"
        />
      </label>
      <button type="submit" className="button small primary">
        Search
      </button>
      {active ? (
        <button
          type="button"
          className="button small"
          onClick={() => {
            setType("");
            setPayload("");
            onChange({ type: "", payload: "" });
          }}
        >
          Reset
        </button>
      ) : null}
    </form>
  );
}
