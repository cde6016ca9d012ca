import type { GroupJson } from "../../../src/api/wire-types.js";

/** Props of {@link GroupSelect}. */
export interface GroupSelectProps {
  readonly groups: readonly GroupJson[];
  readonly value: string;
  onChange(group: string): void;
}

/** Picks the aggregation group the aggregating tab lists. */
export function GroupSelect({ groups, value, onChange }: GroupSelectProps) {
  if (groups.length === 0) return <p className="muted">No aggregation groups in this queue.</p>;
  return (
    <label className="group-select">
      Group{" "}
      <select
        value={value}
        onChange={(event) => onChange(event.target.value)}
        data-testid="group-select"
      >
        {groups.map((g) => (
          <option key={g.group} value={g.group}>
            {g.group} ({g.size})
          </option>
        ))}
      </select>
    </label>
  );
}
