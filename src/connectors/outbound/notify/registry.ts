// The alert senders by channel (desktop has none: the window shows an event).
import type { AlertSenders } from '../../../core/metrics/ports';
import { createSlackSender, createTeamsSender, createTelegramSender } from './chat';
import { createEmailSender } from './email';

export function createAlertSenders(): AlertSenders {
  return { email: createEmailSender(), slack: createSlackSender(), teams: createTeamsSender(), telegram: createTelegramSender() };
}
