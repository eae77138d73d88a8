// Mirrors of limits in @kefu/shared's schemas, repeated here because importing the schemas'
// values would bring zod into the bundle. Keep in sync with packages/shared/src/auth.ts.
export const PASSWORD_MIN = 10;
export const CAPACITY_MAX = 100;
