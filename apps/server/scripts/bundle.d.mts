export const SERVER_BUNDLE: string;
export function bundleServer(outfile?: string): Promise<void>;
