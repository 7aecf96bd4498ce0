// Character codes the parser compares with: Dovecot separates tokens by spaces and tabs only.
export const TAB = 9;
export const SPACE = 32;

/** Whether a character code is one of Dovecot's blanks between tokens. */
export const isBlankCode = (code: number): boolean => code === SPACE || code === TAB;
