export function isBundleCurrent(bundle: URL, sources: URL[]): boolean;
