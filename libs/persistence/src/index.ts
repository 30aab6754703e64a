// Public door of libs/persistence (STYLE.md rule 2). Named exports only.
export {};
