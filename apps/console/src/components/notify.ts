import { notifications } from '@mantine/notifications';
import i18n from '../i18n.ts';
import { errorMessage } from './error-alert.tsx';

export function notifySuccess(message: string) {
  notifications.show({ message, color: 'teal', autoClose: 4000 });
}

export function notifyError(error: unknown, title?: string) {
  notifications.show({
    title,
    message: errorMessage(error, i18n.t('common.errorTitle')),
    color: 'red',
    autoClose: 8000,
  });
}
