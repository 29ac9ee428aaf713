// Public names of the match engine.
export { eq, gt, gte, lt, lte, match, oneOf, not, and, or, any, empty, one_of, not_, and_, or_, any_ } from './dsl.js';
export type { Comparable } from './dsl.js';
export { compilePattern, matches } from './compile.js';
export type { CompiledPattern, Mismatch } from './compile.js';
export { PatternError } from './errors.js';
export { PatternFunction } from './pattern.js';
export type { Pattern, PatternOperator, Predicate } from './pattern.js';
