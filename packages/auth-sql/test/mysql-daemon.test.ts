// authmysql through a real authdaemond against the MariaDB server on 127.0.0.1:3306.

import { daemonScenarios } from "./daemon-scenarios.js";
import { MysqlFixture } from "./db-fixtures.js";

daemonScenarios(new MysqlFixture());
