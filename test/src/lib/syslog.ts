export { asLogFileLine, type Receiver, syslogReceiver, withoutTime } from "@courier-imap/testkit";
