import { type ReactNode, useId, useRef } from "react";

/** Props of {@link ConfirmButton}. */
export interface ConfirmButtonProps {
  /** The button's visible text. */
  readonly children: ReactNode;
  /** Accessible name of the button when its text is not enough. */
  readonly ariaLabel?: string;
  readonly title: string;
  /** What will happen, shown in the dialog. */
  readonly message: ReactNode;
  readonly confirmLabel: string;
  readonly danger?: boolean;
  readonly disabled?: boolean;
  readonly className?: string;
  readonly testId?: string;
  onConfirm(): void;
}

/** A button that asks for confirmation in a modal <dialog> before acting. */
export function ConfirmButton(props: ConfirmButtonProps) {
  const dialog = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const close = () => dialog.current?.close();
  return (
    <>
      <button
        type="button"
        className={props.className ?? (props.danger ? "button danger" : "button")}
        aria-label={props.ariaLabel}
        disabled={props.disabled}
        data-testid={props.testId}
        onClick={() => dialog.current?.showModal()}
      >
        {props.children}
      </button>
      <dialog
        ref={dialog}
        className="dialog"
        aria-labelledby={titleId}
        data-testid="confirm-dialog"
      >
        <h2 id={titleId}>{props.title}</h2>
        <div className="dialog-body">{props.message}</div>
        <div className="dialog-actions">
          <button type="button" className="button" onClick={close}>
            Cancel
          </button>
          <button
            type="button"
            className={props.danger ? "button danger" : "button primary"}
            onClick={() => {
              close();
              props.onConfirm();
            }}
          >
            {props.confirmLabel}
          </button>
        </div>
      </dialog>
    </>
  );
}
