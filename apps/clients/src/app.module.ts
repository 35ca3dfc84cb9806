import { Topics } from '@vaops/contracts';
import { serviceModule } from '@vaops/platform';
import { AssistantReliability } from './assistant/assistant-reliability/assistant-reliability.projection';
import { MatchesController } from './assistant/matches/matches.http.controller';
import { AssistantRosterController } from './assistant/assistant-roster/assistant-roster.http.controller';
import { AssistantRoster } from './assistant/assistant-roster/assistant-roster.projection';
import { RegisterAssistantController } from './assistant/register-assistant/register-assistant.http.controller';
import { ClientDirectoryController } from './client/client-directory/client-directory.http.controller';
import { ClientDirectory } from './client/client-directory/client-directory.projection';
import { RegisterClientController } from './client/register-client/register-client.http.controller';
import { ErasePersonController } from './people/erase-person/erase-person.http.controller';
import { Agencies } from './agency/agencies';
import { AgencySettingsController } from './agency/agency-settings.http.controller';
import { Assistants } from './assistant/assistants';
import { Clients } from './client/clients';
import { Engagements } from './engagement/engagements';
import { DutyCatalogController } from './duty-catalog/duty-catalog.http.controller';
import { EngagementDetailsController } from './engagement/engagement-details/engagement-details.http.controller';
import { EngagementDetails } from './engagement/engagement-details/engagement-details.projection';
import { EngagementHistoryController } from './engagement/engagement-history/engagement-history.http.controller';
import { EngagementLifecycleController } from './engagement/engagement-lifecycle/engagement-lifecycle.http.controller';
import { HandoverController } from './engagement/handover/handover.http.controller';
import { HandoverPlans } from './engagement/handover/handover-plans.projection';
import { EngagementScheduler } from './engagement/scheduler/engagement-scheduler';
import { StartEngagementController } from './engagement/start-engagement/start-engagement.http.controller';
import { toIntegrationEvent } from './integration-events';
import { ClientsEventHandlers } from './projections';

export const clientsAppModule = serviceModule({
  runtime: { topic: Topics.clients, map: toIntegrationEvent },
  handlers: ClientsEventHandlers,
  controllers: [
    RegisterClientController,
    ErasePersonController,
    ClientDirectoryController,
    RegisterAssistantController,
    // before the roster's GET /assistants/:id, which would take "matches" for an id
    MatchesController,
    AssistantRosterController,
    StartEngagementController,
    EngagementDetailsController,
    EngagementLifecycleController,
    HandoverController,
    EngagementHistoryController,
    AgencySettingsController,
    DutyCatalogController,
  ],
  aggregates: [Clients, Assistants, Engagements, Agencies],
  readModels: [ClientDirectory, AssistantRoster, AssistantReliability, EngagementDetails, HandoverPlans],
  processes: [EngagementScheduler],
});
