import { AboutScreen } from '@/features/about/AboutScreen';

export { ScreenError as ErrorBoundary } from '@/components/ScreenError';

export default function AboutRoute() {
  return <AboutScreen />;
}
