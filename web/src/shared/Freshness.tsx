import { Badge } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Freshness } from '../live/useLiveRefresh';

/** Says how the page keeps itself current: live, or re-read every few seconds. */
export function FreshnessBadge({ mode }: { mode: Freshness }) {
  const { t } = useTranslation();
  if (mode === 'off') return null;
  return <Badge status={mode === 'live' ? 'processing' : 'default'} text={mode === 'live' ? t('live.live') : t('live.polling')} />;
}
