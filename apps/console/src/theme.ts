import { createTheme, localStorageColorSchemeManager } from '@mantine/core';
import { COLOR_SCHEME_KEY } from './lib/preferences.ts';

// System fonts first, then CJK faces so Chinese never falls back to boxes or a mismatched serif.
const FONT_STACK = [
  'system-ui',
  '-apple-system',
  '"Segoe UI"',
  'Roboto',
  '"Helvetica Neue"',
  'Arial',
  '"Noto Sans"',
  '"Noto Sans CJK SC"',
  '"PingFang SC"',
  '"Hiragino Sans GB"',
  '"Microsoft YaHei"',
  'sans-serif',
].join(', ');

export const theme = createTheme({
  primaryColor: 'blue',
  fontFamily: FONT_STACK,
  headings: { fontFamily: FONT_STACK },
  defaultRadius: 'sm',
  cursorType: 'pointer',
  components: {
    Table: { defaultProps: { verticalSpacing: 6, horizontalSpacing: 'sm', fz: 'sm' } },
    // Badges keep the case of their text: role names and team names read better that way.
    Badge: { defaultProps: { radius: 'sm', tt: 'none' } },
    Tooltip: { defaultProps: { openDelay: 300, withArrow: true } },
    Modal: { defaultProps: { centered: true } },
  },
});

export const colorSchemeManager = localStorageColorSchemeManager({ key: COLOR_SCHEME_KEY });
