-- Orleans membership and reminder tables for Mailroom's cluster mode, on PostgreSQL. Run by Mailroom at every
-- cluster start (OrleansSchema.cs) inside one transaction under an advisory lock, so it is written to be run again:
-- IF NOT EXISTS, CREATE OR REPLACE, upserted query texts.
--
-- The ADO.NET providers (Microsoft.Orleans.Clustering.AdoNet and .Reminders.AdoNet 10.4.x) issue only the queries
-- stored in orleansquery, by key, and read results by column name; these follow the contract of Orleans' published
-- PostgreSQL scripts for that version (https://aka.ms/orleans-sql-scripts: the membership writes of its "atomic
-- writes" revision, the reminder table without the 10.x cron columns, which 10.4.x does not bind). When the Orleans
-- packages are upgraded, compare with that version's scripts.

CREATE TABLE IF NOT EXISTS orleansquery
(
    querykey varchar(64) NOT NULL,
    querytext varchar(8000) NOT NULL,
    CONSTRAINT orleansquery_key PRIMARY KEY (querykey)
);

-- Membership: one version row per cluster, bumped by every change (optimistic concurrency), and a row per silo.
CREATE TABLE IF NOT EXISTS orleansmembershipversiontable
(
    deploymentid varchar(150) NOT NULL,
    timestamp timestamptz(3) NOT NULL DEFAULT now(),
    version integer NOT NULL DEFAULT 0,
    CONSTRAINT pk_orleansmembershipversiontable_deploymentid PRIMARY KEY (deploymentid)
);

CREATE TABLE IF NOT EXISTS orleansmembershiptable
(
    deploymentid varchar(150) NOT NULL,
    address varchar(45) NOT NULL,
    port integer NOT NULL,
    generation integer NOT NULL,
    siloname varchar(150) NOT NULL,
    hostname varchar(150) NOT NULL,
    status integer NOT NULL,
    proxyport integer NULL,
    suspecttimes varchar(8000) NULL,
    starttime timestamptz(3) NOT NULL,
    iamalivetime timestamptz(3) NOT NULL,
    CONSTRAINT pk_membershiptable_deploymentid PRIMARY KEY (deploymentid, address, port, generation),
    CONSTRAINT fk_membershiptable_membershipversiontable_deploymentid
        FOREIGN KEY (deploymentid) REFERENCES orleansmembershipversiontable (deploymentid)
);

CREATE OR REPLACE FUNCTION update_i_am_alive_time(
    deployment_id orleansmembershiptable.deploymentid%TYPE,
    address_arg orleansmembershiptable.address%TYPE,
    port_arg orleansmembershiptable.port%TYPE,
    generation_arg orleansmembershiptable.generation%TYPE,
    i_am_alive_time orleansmembershiptable.iamalivetime%TYPE)
  RETURNS void AS
$func$
BEGIN
    -- Never moves backwards: a late write from a slow heartbeat must not make a silo look older than it is.
    UPDATE orleansmembershiptable AS d
    SET iamalivetime = GREATEST(d.iamalivetime, i_am_alive_time)
    WHERE d.deploymentid = deployment_id AND deployment_id IS NOT NULL
      AND d.address = address_arg AND address_arg IS NOT NULL
      AND d.port = port_arg AND port_arg IS NOT NULL
      AND d.generation = generation_arg AND generation_arg IS NOT NULL;
END
$func$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION insert_membership_version(
    deploymentidarg orleansmembershiptable.deploymentid%TYPE)
  RETURNS TABLE(row_count integer) AS
$func$
DECLARE
    n int := 0;
BEGIN
    INSERT INTO orleansmembershipversiontable (deploymentid)
    SELECT deploymentidarg
    ON CONFLICT (deploymentid) DO NOTHING;
    GET DIAGNOSTICS n = ROW_COUNT;
    RETURN QUERY SELECT n;
END
$func$ LANGUAGE plpgsql;

-- A new silo row and the version bump together, or neither (the version must still be the one the silo read).
CREATE OR REPLACE FUNCTION insert_membership(
    deploymentidarg orleansmembershiptable.deploymentid%TYPE,
    addressarg orleansmembershiptable.address%TYPE,
    portarg orleansmembershiptable.port%TYPE,
    generationarg orleansmembershiptable.generation%TYPE,
    silonamearg orleansmembershiptable.siloname%TYPE,
    hostnamearg orleansmembershiptable.hostname%TYPE,
    statusarg orleansmembershiptable.status%TYPE,
    proxyportarg orleansmembershiptable.proxyport%TYPE,
    starttimearg orleansmembershiptable.starttime%TYPE,
    iamalivetimearg orleansmembershiptable.iamalivetime%TYPE,
    versionarg orleansmembershipversiontable.version%TYPE)
  RETURNS TABLE(row_count integer) AS
$func$
DECLARE
    n int := 0;
BEGIN
    BEGIN
        UPDATE orleansmembershipversiontable
        SET timestamp = now(), version = version + 1
        WHERE deploymentid = deploymentidarg AND deploymentidarg IS NOT NULL
          AND version = versionarg AND versionarg IS NOT NULL AND version < 2147483647;
        GET DIAGNOSTICS n = ROW_COUNT;

        INSERT INTO orleansmembershiptable
            (deploymentid, address, port, generation, siloname, hostname, status, proxyport, starttime, iamalivetime)
        SELECT deploymentidarg, addressarg, portarg, generationarg, silonamearg, hostnamearg, statusarg, proxyportarg,
               starttimearg, iamalivetimearg
        WHERE n > 0
        ON CONFLICT (deploymentid, address, port, generation) DO NOTHING;
        GET DIAGNOSTICS n = ROW_COUNT;

        IF n = 0 THEN
            RAISE EXCEPTION 'no rows affected, rollback' USING ERRCODE = 'assert_failure';
        END IF;
        RETURN QUERY SELECT n;
    EXCEPTION
    WHEN assert_failure THEN
        RETURN QUERY SELECT 0;
    END;
END
$func$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION update_membership(
    deploymentidarg orleansmembershiptable.deploymentid%TYPE,
    addressarg orleansmembershiptable.address%TYPE,
    portarg orleansmembershiptable.port%TYPE,
    generationarg orleansmembershiptable.generation%TYPE,
    statusarg orleansmembershiptable.status%TYPE,
    suspecttimesarg orleansmembershiptable.suspecttimes%TYPE,
    iamalivetimearg orleansmembershiptable.iamalivetime%TYPE,
    versionarg orleansmembershipversiontable.version%TYPE)
  RETURNS TABLE(row_count integer) AS
$func$
DECLARE
    n int := 0;
BEGIN
    BEGIN
        UPDATE orleansmembershipversiontable
        SET timestamp = now(), version = version + 1
        WHERE deploymentid = deploymentidarg AND deploymentidarg IS NOT NULL
          AND version = versionarg AND versionarg IS NOT NULL AND version < 2147483647;
        GET DIAGNOSTICS n = ROW_COUNT;

        UPDATE orleansmembershiptable
        SET status = statusarg, suspecttimes = suspecttimesarg, iamalivetime = GREATEST(iamalivetime, iamalivetimearg)
        WHERE deploymentid = deploymentidarg AND deploymentidarg IS NOT NULL
          AND address = addressarg AND addressarg IS NOT NULL
          AND port = portarg AND portarg IS NOT NULL
          AND generation = generationarg AND generationarg IS NOT NULL
          AND n > 0;
        GET DIAGNOSTICS n = ROW_COUNT;

        IF n = 0 THEN
            RAISE EXCEPTION 'no rows affected, rollback' USING ERRCODE = 'assert_failure';
        END IF;
        RETURN QUERY SELECT n;
    EXCEPTION
    WHEN assert_failure THEN
        RETURN QUERY SELECT 0;
    END;
END
$func$ LANGUAGE plpgsql;

-- Reminders: one row per grain and reminder name; grainhash places it on the silo that owns that hash range.
CREATE TABLE IF NOT EXISTS orleansreminderstable
(
    serviceid varchar(150) NOT NULL,
    grainid varchar(150) NOT NULL,
    remindername varchar(150) NOT NULL,
    starttime timestamptz(3) NOT NULL,
    period bigint NOT NULL,
    grainhash integer NOT NULL,
    version integer NOT NULL,
    CONSTRAINT pk_reminderstable_serviceid_grainid_remindername PRIMARY KEY (serviceid, grainid, remindername)
);

CREATE OR REPLACE FUNCTION upsert_reminder_row(
    serviceidarg orleansreminderstable.serviceid%TYPE,
    grainidarg orleansreminderstable.grainid%TYPE,
    remindernamearg orleansreminderstable.remindername%TYPE,
    starttimearg orleansreminderstable.starttime%TYPE,
    periodarg orleansreminderstable.period%TYPE,
    grainhasharg orleansreminderstable.grainhash%TYPE)
  RETURNS TABLE(version integer) AS
$func$
DECLARE
    v int := 0;
BEGIN
    INSERT INTO orleansreminderstable (serviceid, grainid, remindername, starttime, period, grainhash, version)
    SELECT serviceidarg, grainidarg, remindernamearg, starttimearg, periodarg, grainhasharg, 0
    ON CONFLICT (serviceid, grainid, remindername) DO UPDATE
        SET starttime = excluded.starttime, period = excluded.period, grainhash = excluded.grainhash,
            version = orleansreminderstable.version + 1
    RETURNING orleansreminderstable.version INTO STRICT v;
    RETURN QUERY SELECT v;
END
$func$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION delete_reminder_row(
    serviceidarg orleansreminderstable.serviceid%TYPE,
    grainidarg orleansreminderstable.grainid%TYPE,
    remindernamearg orleansreminderstable.remindername%TYPE,
    versionarg orleansreminderstable.version%TYPE)
  RETURNS TABLE(row_count integer) AS
$func$
DECLARE
    n int := 0;
BEGIN
    DELETE FROM orleansreminderstable
    WHERE serviceid = serviceidarg AND serviceidarg IS NOT NULL
      AND grainid = grainidarg AND grainidarg IS NOT NULL
      AND remindername = remindernamearg AND remindernamearg IS NOT NULL
      AND version = versionarg AND versionarg IS NOT NULL;
    GET DIAGNOSTICS n = ROW_COUNT;
    RETURN QUERY SELECT n;
END
$func$ LANGUAGE plpgsql;

INSERT INTO orleansquery (querykey, querytext) VALUES
('UpdateIAmAlivetimeKey',
 'SELECT * FROM update_i_am_alive_time(@DeploymentId, @Address, @Port, @Generation, @IAmAliveTime);'),
('InsertMembershipVersionKey',
 'SELECT * FROM insert_membership_version(@DeploymentId);'),
('InsertMembershipKey',
 'SELECT * FROM insert_membership(@DeploymentId, @Address, @Port, @Generation, @SiloName, @HostName, @Status, @ProxyPort, @StartTime, @IAmAliveTime, @Version);'),
('UpdateMembershipKey',
 'SELECT * FROM update_membership(@DeploymentId, @Address, @Port, @Generation, @Status, @SuspectTimes, @IAmAliveTime, @Version);'),
('MembershipReadRowKey',
 'SELECT v.DeploymentId, m.Address, m.Port, m.Generation, m.SiloName, m.HostName, m.Status, m.ProxyPort, m.SuspectTimes,
         m.StartTime, m.IAmAliveTime, v.Version
  FROM OrleansMembershipVersionTable v
  LEFT OUTER JOIN OrleansMembershipTable m ON v.DeploymentId = m.DeploymentId
      AND Address = @Address AND @Address IS NOT NULL
      AND Port = @Port AND @Port IS NOT NULL
      AND Generation = @Generation AND @Generation IS NOT NULL
  WHERE v.DeploymentId = @DeploymentId AND @DeploymentId IS NOT NULL;'),
('MembershipReadAllKey',
 'SELECT v.DeploymentId, m.Address, m.Port, m.Generation, m.SiloName, m.HostName, m.Status, m.ProxyPort, m.SuspectTimes,
         m.StartTime, m.IAmAliveTime, v.Version
  FROM OrleansMembershipVersionTable v
  LEFT OUTER JOIN OrleansMembershipTable m ON v.DeploymentId = m.DeploymentId
  WHERE v.DeploymentId = @DeploymentId AND @DeploymentId IS NOT NULL;'),
('DeleteMembershipTableEntriesKey',
 'DELETE FROM OrleansMembershipTable WHERE DeploymentId = @DeploymentId AND @DeploymentId IS NOT NULL;
  DELETE FROM OrleansMembershipVersionTable WHERE DeploymentId = @DeploymentId AND @DeploymentId IS NOT NULL;'),
('GatewaysQueryKey',
 'SELECT Address, ProxyPort, Generation FROM OrleansMembershipTable
  WHERE DeploymentId = @DeploymentId AND @DeploymentId IS NOT NULL
    AND Status = @Status AND @Status IS NOT NULL AND ProxyPort > 0;'),
('CleanupDefunctSiloEntriesKey',
 'DELETE FROM OrleansMembershipTable
  WHERE DeploymentId = @DeploymentId AND @DeploymentId IS NOT NULL
    AND IAmAliveTime < @IAmAliveTime AND StartTime < @IAmAliveTime
    AND COALESCE(SuspectTimes, '''') = '''' AND Status = 6;'),
('CleanupDefunctSiloEntryKey',
 'DELETE FROM OrleansMembershipTable
  WHERE DeploymentId = @DeploymentId AND Status = 6
    AND Address = @Address AND Port = @Port AND Generation = @Generation
    AND IAmAliveTime = @IAmAliveTime AND StartTime = @StartTime
    AND COALESCE(SuspectTimes, '''') = COALESCE(@SuspectTimes, '''');'),
('UpsertReminderRowKey',
 'SELECT * FROM upsert_reminder_row(@ServiceId, @GrainId, @ReminderName, @StartTime, @Period::bigint, @GrainHash);'),
('ReadReminderRowsKey',
 'SELECT GrainId, ReminderName, StartTime, Period, Version FROM OrleansRemindersTable
  WHERE ServiceId = @ServiceId AND @ServiceId IS NOT NULL AND GrainId = @GrainId AND @GrainId IS NOT NULL;'),
('ReadReminderRowKey',
 'SELECT GrainId, ReminderName, StartTime, Period, Version FROM OrleansRemindersTable
  WHERE ServiceId = @ServiceId AND @ServiceId IS NOT NULL AND GrainId = @GrainId AND @GrainId IS NOT NULL
    AND ReminderName = @ReminderName AND @ReminderName IS NOT NULL;'),
('ReadRangeRows1Key',
 'SELECT GrainId, ReminderName, StartTime, Period, Version FROM OrleansRemindersTable
  WHERE ServiceId = @ServiceId AND @ServiceId IS NOT NULL
    AND GrainHash > @BeginHash AND @BeginHash IS NOT NULL AND GrainHash <= @EndHash AND @EndHash IS NOT NULL;'),
('ReadRangeRows2Key',
 'SELECT GrainId, ReminderName, StartTime, Period, Version FROM OrleansRemindersTable
  WHERE ServiceId = @ServiceId AND @ServiceId IS NOT NULL
    AND ((GrainHash > @BeginHash AND @BeginHash IS NOT NULL) OR (GrainHash <= @EndHash AND @EndHash IS NOT NULL));'),
('DeleteReminderRowKey',
 'SELECT * FROM delete_reminder_row(@ServiceId, @GrainId, @ReminderName, @Version);'),
('DeleteReminderRowsKey',
 'DELETE FROM OrleansRemindersTable WHERE ServiceId = @ServiceId AND @ServiceId IS NOT NULL;')
ON CONFLICT (querykey) DO UPDATE SET querytext = excluded.querytext;
