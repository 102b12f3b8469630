using System.Text.Json;
using System.Text.Json.Serialization;
using Mailroom.Server.Sync;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.OpenApi;
using Scalar.AspNetCore;

namespace Mailroom.Server.Api.V1;

/// <summary>
/// The /v1 API: every endpoint under one route group that requires an API key (<see cref="ApiPrincipal"/>). Endpoint
/// files add themselves in <see cref="MapV1"/> with a <c>group.MapX()</c> call. The OpenAPI document
/// (<c>/openapi/v1.json</c>) covers exactly this group; <c>/docs</c> is its reference page.
/// </summary>
internal static class V1Routes
{
    public static IServiceCollection AddMailroomApi(this IServiceCollection services)
    {
        services.AddAuthentication(ApiPrincipal.Scheme)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiPrincipal.Scheme, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(ApiPrincipal.Policy, policy => policy.AddAuthenticationSchemes(ApiPrincipal.Scheme).RequireClaim(ApiPrincipal.OrganizationClaim));
        services.AddProblemDetails();
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(EnumWords.Converter()));
        services.AddSingleton<MailboxSignals>();
        services.AddOpenApi("v1", options =>
        {
            options.ShouldInclude = description => description.RelativePath?.StartsWith("v1/", StringComparison.Ordinal) == true
                || description.RelativePath == "v1";
            options.AddDocumentTransformer((document, context, cancellationToken) =>
            {
                document.Info = new OpenApiInfo
                {
                    Title = "Mailroom API",
                    Version = "v1",
                    Description = "Mailboxes, messages, threads, contacts and sending for one organization. Authenticate with "
                        + "'Authorization: Bearer mr_...' (an API key from `mailroom apikey create`). Lists are cursor-paginated: "
                        + "pass nextCursor back as cursor until it is null. Errors are RFC 9457 problem details; another "
                        + "organization's ids answer 404.",
                };
                document.Components ??= new OpenApiComponents();
                document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
                document.Components.SecuritySchemes[ApiPrincipal.Scheme] = new OpenApiSecurityScheme
                {
                    Type = SecuritySchemeType.Http,
                    Scheme = "bearer",
                    BearerFormat = "mr_ API key",
                    Description = "An organization's API key: mailroom apikey create --org NAME.",
                };
                document.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(ApiPrincipal.Scheme, document)] = [] }];
                return Task.CompletedTask;
            });
        });
        return services;
    }

    /// <summary>Maps every /v1 endpoint; returns the group so that more endpoint files can be added to it.</summary>
    public static RouteGroupBuilder MapV1(this WebApplication app)
    {
        var group = app.MapGroup("/v1").RequireAuthorization(ApiPrincipal.Policy);
        group.WithMetadata(new ProducesResponseTypeMetadata(StatusCodes.Status401Unauthorized, typeof(ProblemDetails), ["application/problem+json"]));
        group.MapMailboxes();
        group.MapMessages();
        group.MapThreads();
        group.MapContacts();
        group.MapSend();
        group.MapWebhooks();
        group.MapChanges();
        group.MapOAuthLinks();
        group.MapSearch();
        group.MapCluster();
        return group;
    }

    /// <summary>The OpenAPI document and the reference page; neither needs a key (they describe, they hold no data).</summary>
    public static WebApplication MapV1Documentation(this WebApplication app)
    {
        app.MapOpenApi("/openapi/{documentName}.json");
        app.MapScalarApiReference("/docs", options => options.WithTitle("Mailroom API").WithOpenApiRoutePattern("/openapi/{documentName}.json"));
        return app;
    }
}
