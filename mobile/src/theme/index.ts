import { useColorScheme } from 'react-native';

export type Theme = {
  dark: boolean;
  colors: {
    background: string;
    surface: string;
    text: string;
    muted: string;
    border: string;
    primary: string;
    onPrimary: string;
    danger: string;
    onDanger: string;
    skeleton: string;
    banner: string;
    onBanner: string;
    warning: string;
    onWarning: string;
  };
};

const light: Theme = {
  dark: false,
  colors: {
    background: '#f7f5f2',
    surface: '#ffffff',
    text: '#1d1b19',
    muted: '#5f5a55',
    border: '#ddd6ce',
    primary: '#9a4a12',
    onPrimary: '#ffffff',
    danger: '#b3261e',
    onDanger: '#ffffff',
    skeleton: '#e6e0d9',
    banner: '#3b5b8c',
    onBanner: '#ffffff',
    warning: '#fff1c2',
    onWarning: '#4a3900',
  },
};

const dark: Theme = {
  dark: true,
  colors: {
    background: '#151311',
    surface: '#221f1c',
    text: '#f3efea',
    muted: '#b8b0a7',
    border: '#3b3632',
    primary: '#f0a86a',
    onPrimary: '#2a1400',
    danger: '#f2b8b5',
    onDanger: '#601410',
    skeleton: '#35302c',
    banner: '#9cb7e0',
    onBanner: '#10223d',
    warning: '#4a3900',
    onWarning: '#fff1c2',
  },
};

/** Colours follow the system's light or dark appearance. */
export function useTheme(): Theme {
  return useColorScheme() === 'dark' ? dark : light;
}

export const spacing = { xs: 4, sm: 8, md: 12, lg: 16, xl: 24 } as const;
