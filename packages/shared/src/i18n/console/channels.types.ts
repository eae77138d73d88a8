import type { channelsEn } from './channels.en.ts';

type Widen<T> = { [K in keyof T]: T[K] extends string ? string : Widen<T[K]> };
export type ChannelsMessages = Widen<typeof channelsEn>;
