using Mailroom.Storage.Tests.Infrastructure;

namespace Mailroom.Storage.Tests;

// Each contract runs once per provider; a class fixture gives each class its own fresh database.

public sealed class SqliteMessageStoreTests(SqliteTestDatabase database)
    : MessageStoreContract<SqliteTestDatabase>(database), IClassFixture<SqliteTestDatabase>;

public sealed class PostgresMessageStoreTests(PostgresTestDatabase database)
    : MessageStoreContract<PostgresTestDatabase>(database), IClassFixture<PostgresTestDatabase>;

public sealed class SqliteAccountStoreTests(SqliteTestDatabase database)
    : AccountStoreContract<SqliteTestDatabase>(database), IClassFixture<SqliteTestDatabase>;

public sealed class PostgresAccountStoreTests(PostgresTestDatabase database)
    : AccountStoreContract<PostgresTestDatabase>(database), IClassFixture<PostgresTestDatabase>;

public sealed class SqliteSchemaTests(SqliteTestDatabase database)
    : SchemaContract<SqliteTestDatabase>(database), IClassFixture<SqliteTestDatabase>;

public sealed class PostgresSchemaTests(PostgresTestDatabase database)
    : SchemaContract<PostgresTestDatabase>(database), IClassFixture<PostgresTestDatabase>;

public sealed class SqliteGmailLabelStoreTests(SqliteTestDatabase database)
    : GmailLabelStoreContract<SqliteTestDatabase>(database), IClassFixture<SqliteTestDatabase>;

public sealed class PostgresGmailLabelStoreTests(PostgresTestDatabase database)
    : GmailLabelStoreContract<PostgresTestDatabase>(database), IClassFixture<PostgresTestDatabase>;

public sealed class SqliteContactStoreTests(SqliteTestDatabase database)
    : ContactStoreContract<SqliteTestDatabase>(database), IClassFixture<SqliteTestDatabase>;

public sealed class PostgresContactStoreTests(PostgresTestDatabase database)
    : ContactStoreContract<PostgresTestDatabase>(database), IClassFixture<PostgresTestDatabase>;

public sealed class SqliteOutboxStoreTests(SqliteTestDatabase database)
    : OutboxStoreContract<SqliteTestDatabase>(database), IClassFixture<SqliteTestDatabase>;

public sealed class PostgresOutboxStoreTests(PostgresTestDatabase database)
    : OutboxStoreContract<PostgresTestDatabase>(database), IClassFixture<PostgresTestDatabase>;

public sealed class SqliteOrganizationQueriesTests(SqliteTestDatabase database)
    : OrganizationQueriesContract<SqliteTestDatabase>(database), IClassFixture<SqliteTestDatabase>;

public sealed class PostgresOrganizationQueriesTests(PostgresTestDatabase database)
    : OrganizationQueriesContract<PostgresTestDatabase>(database), IClassFixture<PostgresTestDatabase>;

public sealed class SqliteEventStoreTests(SqliteTestDatabase database)
    : EventStoreContract<SqliteTestDatabase>(database), IClassFixture<SqliteTestDatabase>;

public sealed class PostgresEventStoreTests(PostgresTestDatabase database)
    : EventStoreContract<PostgresTestDatabase>(database), IClassFixture<PostgresTestDatabase>;

public sealed class SqliteWebhookStoreTests(SqliteTestDatabase database)
    : WebhookStoreContract<SqliteTestDatabase>(database), IClassFixture<SqliteTestDatabase>;

public sealed class PostgresWebhookStoreTests(PostgresTestDatabase database)
    : WebhookStoreContract<PostgresTestDatabase>(database), IClassFixture<PostgresTestDatabase>;

public sealed class SqliteUserStoreTests(SqliteTestDatabase database)
    : UserStoreContract<SqliteTestDatabase>(database), IClassFixture<SqliteTestDatabase>;

public sealed class PostgresUserStoreTests(PostgresTestDatabase database)
    : UserStoreContract<PostgresTestDatabase>(database), IClassFixture<PostgresTestDatabase>;
