import { IsRequiredInstant, IsRequiredText } from '@vaops/platform';

export const DATE = /^\d{4}-\d{2}-\d{2}$/;

export class SlotRequest {
  @IsRequiredInstant('2026-03-09T14:00:00Z')
  startsAt!: string;

  @IsRequiredInstant('2026-03-09T14:30:00Z')
  endsAt!: string;
}

export class RescheduleRequest extends SlotRequest {
  @IsRequiredText(500)
  reason!: string;
}

export class CancelRequest {
  @IsRequiredText(500)
  reason!: string;
}

