import { LogoutOutlined, MenuOutlined, UserOutlined } from '@ant-design/icons';
import { Button, Drawer, Dropdown, Grid, Layout, Menu, type MenuProps } from 'antd';
import { Suspense, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Outlet, useLocation, useNavigate } from 'react-router';
import { isStaff, useAuth } from '../auth';
import { LanguageSwitch } from '../shared/LanguageSwitch';
import { Loading } from '../shared/Loading';

/** Header (brand, navigation, language, who is signed in), the page, a footer. */
export function AppLayout() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { pathname } = useLocation();
  const screens = Grid.useBreakpoint();
  const compact = !screens.md;
  const [drawerOpen, setDrawerOpen] = useState(false);
  const { session } = useAuth();

  const items: MenuProps['items'] = [
    { key: '/', label: t('nav.discover') },
    ...(session
      ? [
          { key: '/bookings', label: t('nav.bookings') },
          { key: '/wallet', label: t('nav.wallet') },
          ...(isStaff(session.viewer) ? [{ key: '/desk', label: t('nav.desk') }] : []),
        ]
      : []),
  ];
  const selected = pathname.startsWith('/listings') ? '/' : `/${pathname.split('/')[1] ?? ''}`;
  const go: MenuProps['onClick'] = ({ key }) => {
    setDrawerOpen(false);
    if (key !== pathname) void navigate(key);
  };
  const menu = (mode: 'horizontal' | 'inline') => (
    <nav aria-label={t('nav.label')} className={`app-nav app-nav-${mode}`}>
      <Menu mode={mode} selectedKeys={[selected]} items={items} onClick={go} disabledOverflow={mode === 'horizontal'} />
    </nav>
  );

  return (
    <Layout className="app">
      <a className="skip-link" href="#main">
        {t('nav.skip')}
      </a>
      <Layout.Header className="app-header">
        {compact ? <Button type="text" icon={<MenuOutlined />} aria-label={t('nav.open')} onClick={() => setDrawerOpen(true)} /> : null}
        <Link to="/" className="brand">
          <span className="brand-mark" aria-hidden="true">
            邻
          </span>
          <span className="brand-name">{t('app.name')}</span>
        </Link>
        {compact ? <div className="app-header-spacer" /> : menu('horizontal')}
        <div className="app-header-tools">
          <LanguageSwitch />
          <UserMenu compact={compact} />
        </div>
      </Layout.Header>
      <Drawer title={t('app.name')} placement="left" open={compact && drawerOpen} onClose={() => setDrawerOpen(false)} size={280}>
        {menu('inline')}
      </Drawer>
      <Layout.Content id="main" tabIndex={-1} className="app-main">
        <div className="page">
          <Suspense fallback={<Loading />}>
            <Outlet />
          </Suspense>
        </div>
      </Layout.Content>
      <Layout.Footer className="app-footer">{t('app.footer')}</Layout.Footer>
    </Layout>
  );
}

function UserMenu({ compact }: { compact: boolean }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { session, signOut } = useAuth();
  if (!session) {
    return (
      <Button type="primary" onClick={() => void navigate('/sign-in')}>
        {t('auth.signIn')}
      </Button>
    );
  }
  const items: MenuProps['items'] = [
    { key: 'who', disabled: true, label: t('auth.signedInAs', { name: session.displayName }) },
    { type: 'divider' },
    { key: 'sign-out', icon: <LogoutOutlined />, label: t('auth.signOut') },
  ];
  return (
    <Dropdown
      trigger={['click']}
      menu={{
        items,
        onClick: ({ key }) => {
          if (key === 'sign-out') {
            signOut();
            void navigate('/sign-in');
          }
        },
      }}
    >
      <Button icon={<UserOutlined />} aria-haspopup="menu" aria-label={compact ? t('auth.accountMenu', { name: session.displayName }) : undefined}>
        {compact ? null : session.displayName}
      </Button>
    </Dropdown>
  );
}
