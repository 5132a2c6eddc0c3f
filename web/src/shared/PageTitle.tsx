import { Typography } from 'antd';
import { useEffect, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

/** The page's one h1, also the document title, so a screen reader hears where it landed. */
export function PageTitle({ children, title, extra }: { children: ReactNode; title: string; extra?: ReactNode }) {
  const { t } = useTranslation();
  useEffect(() => {
    document.title = `${title} · ${t('app.name')}`;
  }, [title, t]);
  return (
    <div className="page-title">
      <Typography.Title level={1}>{children}</Typography.Title>
      {extra ? <div className="page-title-extra">{extra}</div> : null}
    </div>
  );
}
