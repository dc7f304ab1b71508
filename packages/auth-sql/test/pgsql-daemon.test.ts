// authpgsql through a real authdaemond against the PostgreSQL server on 127.0.0.1:5432.

import { daemonScenarios } from "./daemon-scenarios.js";
import { PgsqlFixture } from "./db-fixtures.js";

daemonScenarios(new PgsqlFixture());
