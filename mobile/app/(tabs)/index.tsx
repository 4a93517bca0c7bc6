import { BrowseScreen } from '@/features/browse/BrowseScreen';

export default function BrowseRoute() {
  return <BrowseScreen />;
}
