import { BrowserRouter } from 'react-router';
import { AuthProvider } from '../auth';
import { RuntimeConfigProvider } from '../config/RuntimeConfigProvider';
import type { RuntimeConfig } from '../config/runtime';
import { GraphQLProvider } from './GraphQLProvider';
import { LocaleProvider } from './LocaleProvider';
import { AppRoutes } from './routes';

export function App({ config }: { config: RuntimeConfig }) {
  return (
    <RuntimeConfigProvider config={config}>
      <LocaleProvider>
        <AuthProvider>
          <GraphQLProvider>
            <BrowserRouter>
              <AppRoutes />
            </BrowserRouter>
          </GraphQLProvider>
        </AuthProvider>
      </LocaleProvider>
    </RuntimeConfigProvider>
  );
}
