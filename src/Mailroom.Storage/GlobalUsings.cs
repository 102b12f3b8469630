// What nearly every file of this project uses: the EF Core API, the entities, the column helpers and the SQL helpers.
global using Mailroom.Core.Storage;
global using Mailroom.Storage.Columns;
global using Mailroom.Storage.Model;
global using Mailroom.Storage.Sql;
global using Microsoft.EntityFrameworkCore;
global using Microsoft.EntityFrameworkCore.Metadata.Builders;
