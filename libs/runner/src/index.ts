// Public door of libs/runner (STYLE.md rule 2). Named exports only.
export {};
