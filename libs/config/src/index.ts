// Public door of libs/config (STYLE.md rule 2). Named exports only.
export {};
