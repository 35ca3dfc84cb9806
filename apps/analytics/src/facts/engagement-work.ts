/** What every fact about one engagement's work is keyed by: whose work, for which client, under which engagement. */
export interface EngagementWorkDoc {
  _id: string;
  _v: number;
  agencyId: string;
  assistantId: string;
  clientId: string;
  engagementId: string;
}
