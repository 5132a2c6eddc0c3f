import 'dayjs/locale/zh-cn';
import dayjs from 'dayjs';
import i18next from 'i18next';
import { initReactI18next, useTranslation } from 'react-i18next';
import { DEFAULT_LANGUAGE, isLanguage, type Language } from './languages';
import { en } from './locales/en';
import { zhCN } from './locales/zh-CN';

export { LANGUAGES, type Language } from './languages';
export * from './time';

const STORAGE_KEY = 'linli.language';

/** zh-CN unless the person chose English before. */
function initialLanguage(): Language {
  const saved = window.localStorage.getItem(STORAGE_KEY);
  return isLanguage(saved) ? saved : DEFAULT_LANGUAGE;
}

export async function initI18n(): Promise<void> {
  await i18next.use(initReactI18next).init({
    resources: { 'zh-CN': { translation: zhCN }, en: { translation: en } },
    lng: initialLanguage(),
    fallbackLng: DEFAULT_LANGUAGE,
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  applyLanguage(i18next.language);
  i18next.on('languageChanged', applyLanguage);
}

function applyLanguage(language: string): void {
  document.documentElement.lang = language;
  dayjs.locale(language === 'en' ? 'en' : 'zh-cn');
}

/** The current language and a way to change it (kept for the next visit). */
export function useLanguage(): [Language, (language: Language) => void] {
  const { i18n } = useTranslation();
  const language = isLanguage(i18n.language) ? i18n.language : DEFAULT_LANGUAGE;
  const change = (next: Language) => {
    window.localStorage.setItem(STORAGE_KEY, next);
    void i18n.changeLanguage(next);
  };
  return [language, change];
}

/** Picks the zh-CN or English variant of a bilingual value from the graph. */
export function useLocalized(): <T>(zh: T, en: T) => T {
  const [language] = useLanguage();
  return (zh, enValue) => (language === 'en' ? enValue : zh);
}
