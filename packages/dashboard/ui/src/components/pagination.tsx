/** Page sizes offered under task tables. */
export const PAGE_SIZES = [10, 20, 50, 100] as const;

/** Props of {@link Pagination}. */
export interface PaginationProps {
  /** 1-based. */
  readonly page: number;
  readonly size: number;
  /** Tasks in the whole list; undefined when unknown (a search). */
  readonly total: number | undefined;
  /** Rows on the current page, to tell whether a next page may exist when total is unknown. */
  readonly shown: number;
  onPage(page: number): void;
  onSize(size: number): void;
}

/** Previous/next and page size under a table. */
export function Pagination({ page, size, total, shown, onPage, onSize }: PaginationProps) {
  const pages = total === undefined ? undefined : Math.max(1, Math.ceil(total / size));
  const hasNext = pages === undefined ? shown === size : page < pages;
  const first = shown === 0 ? 0 : (page - 1) * size + 1;
  return (
    <nav className="pagination" aria-label="Pagination">
      <label>
        Rows per page{" "}
        <select value={size} onChange={(event) => onSize(Number(event.target.value))}>
          {PAGE_SIZES.map((n) => (
            <option key={n} value={n}>
              {n}
            </option>
          ))}
        </select>
      </label>
      <span className="muted" data-testid="page-range">
        {first}–{first === 0 ? 0 : first + shown - 1}
        {total === undefined ? "" : ` of ${total}`}
      </span>
      <button
        type="button"
        className="button small"
        disabled={page <= 1}
        onClick={() => onPage(page - 1)}
      >
        Previous
      </button>
      <button
        type="button"
        className="button small"
        disabled={!hasNext}
        onClick={() => onPage(page + 1)}
      >
        Next
      </button>
    </nav>
  );
}
