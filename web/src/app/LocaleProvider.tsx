import { App as AntApp, ConfigProvider } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import type { ReactNode } from 'react';
import { useLanguage } from '../i18n';

/**
 * Ant Design's defaults for secondary text, placeholders and status colours fall short of
 * WCAG AA contrast (4.5:1) on white and on the page grey; these pass, checked by axe in the
 * browser tests.
 */
const THEME = {
  colorPrimary: '#1358d0',
  colorLink: '#1358d0',
  colorSuccess: '#237804',
  colorWarning: '#8f5600',
  colorError: '#c41d2a',
  colorTextSecondary: 'rgba(0, 0, 0, 0.68)',
  colorTextTertiary: 'rgba(0, 0, 0, 0.64)',
  colorTextDescription: 'rgba(0, 0, 0, 0.64)',
  colorTextPlaceholder: 'rgba(0, 0, 0, 0.6)',
  borderRadius: 8,
};

/** Ant Design in the reader's language (zh_CN by default). */
export function LocaleProvider({ children }: { children: ReactNode }) {
  const [language] = useLanguage();
  return (
    <ConfigProvider
      locale={language === 'en' ? enUS : zhCN}
      theme={{ token: THEME }}
      // "批准", not "批 准": the space antd inserts misleads screen readers and searches.
      button={{ autoInsertSpace: false }}
    >
      <AntApp>{children}</AntApp>
    </ConfigProvider>
  );
}
