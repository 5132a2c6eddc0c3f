import { Button, Result } from 'antd';
import { lazy } from 'react';
import { useTranslation } from 'react-i18next';
import { Route, Routes, useNavigate } from 'react-router';
import { AppLayout } from './AppLayout';
import { RequireSignIn } from './RequireSignIn';

const SignInPage = lazy(() => import('../features/sign-in/SignInPage'));
const DiscoverPage = lazy(() => import('../features/discover/DiscoverPage'));
const ResourcePage = lazy(() => import('../features/resource/ResourcePage'));
const MyBookingsPage = lazy(() => import('../features/bookings/MyBookingsPage'));
const WalletPage = lazy(() => import('../features/wallet/WalletPage'));
const DeskPage = lazy(() => import('../features/desk/DeskPage'));

export function AppRoutes() {
  return (
    <Routes>
      <Route element={<AppLayout />}>
        <Route index element={<DiscoverPage />} />
        <Route path="sign-in" element={<SignInPage />} />
        <Route path="listings/:id" element={<ResourcePage />} />
        <Route path="bookings" element={<RequireSignIn><MyBookingsPage /></RequireSignIn>} />
        <Route path="wallet" element={<RequireSignIn><WalletPage /></RequireSignIn>} />
        <Route path="desk" element={<RequireSignIn staff><DeskPage /></RequireSignIn>} />
        <Route path="*" element={<NotFound />} />
      </Route>
    </Routes>
  );
}

function NotFound() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  return (
    <Result
      status="404"
      title={t('common.notFound')}
      extra={
        <Button type="primary" onClick={() => void navigate('/')}>
          {t('nav.discover')}
        </Button>
      }
    />
  );
}
