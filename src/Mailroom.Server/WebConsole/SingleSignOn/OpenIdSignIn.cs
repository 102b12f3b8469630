using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;

namespace Mailroom.Server.WebConsole.SingleSignOn;

/// <summary>
/// OpenID Connect sign-in to the console with ASP.NET Core's own handler: the authorization code flow with PKCE, the
/// answer in the query (so the Lax correlation cookie comes back on the provider's top-level redirect, and plain HTTP
/// on loopback works). When the provider's ID token is valid, <see cref="OpenIdUserMatcher"/> decides which console
/// user the person is, and the session is the console's own cookie, exactly as after a password sign-in.
/// </summary>
internal static class OpenIdSignIn
{
    public const string Scheme = "ConsoleOpenId";

    public static AuthenticationBuilder AddConsoleOpenId(this AuthenticationBuilder authentication, OpenIdSignInOptions settings)
    {
        if (!settings.Enabled)
            return authentication;
        return authentication.AddOpenIdConnect(Scheme, settings.DisplayName, options =>
        {
            options.Authority = settings.Authority;
            options.RequireHttpsMetadata = new Uri(settings.Authority!).Scheme == Uri.UriSchemeHttps;
            options.ClientId = settings.ClientId;
            options.ClientSecret = settings.ClientSecret;
            options.ResponseType = OpenIdConnectResponseType.Code;
            options.ResponseMode = OpenIdConnectResponseMode.Query;
            options.UsePkce = true;
            options.CallbackPath = settings.CallbackPath;
            options.SignInScheme = ConsolePrincipal.Scheme;
            // The provider's tokens are not kept: the session is the console's cookie alone.
            options.SaveTokens = false;
            options.GetClaimsFromUserInfoEndpoint = true;
            options.MapInboundClaims = false;
            options.DisableTelemetry = true;
            options.Scope.Clear();
            options.Scope.Add("openid");
            foreach (var scope in settings.Scopes.Where(s => s != "openid"))
                options.Scope.Add(scope);
            options.ClaimActions.MapUniqueJsonKey(OpenIdUserMatcher.EmailClaim, OpenIdUserMatcher.EmailClaim);
            options.ClaimActions.MapUniqueJsonKey(OpenIdUserMatcher.EmailVerifiedClaim, OpenIdUserMatcher.EmailVerifiedClaim);
            foreach (var cookie in new[] { options.CorrelationCookie, options.NonceCookie })
            {
                cookie.SameSite = SameSiteMode.Lax;
                cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            }
            options.Events.OnTicketReceived = TicketReceivedAsync;
            options.Events.OnRemoteFailure = context =>
            {
                Log.OpenIdFailed(context.HttpContext.RequestServices.GetRequiredService<ILogger<OpenIdUserMatcher>>(),
                    context.Failure?.Message ?? "no reason given");
                context.Response.Redirect("/signin?sso=" + OpenIdRefusals.Word(OpenIdRefusal.Failed));
                context.HandleResponse();
                return Task.CompletedTask;
            };
        });
    }

    private static async Task TicketReceivedAsync(TicketReceivedContext context)
    {
        var services = context.HttpContext.RequestServices;
        var (user, refusal) = await services.GetRequiredService<OpenIdUserMatcher>().MatchAsync(context.Principal!, context.HttpContext.RequestAborted);
        if (user is null)
        {
            context.Response.Redirect("/signin?sso=" + OpenIdRefusals.Word(refusal ?? OpenIdRefusal.Failed));
            context.HandleResponse();
            return;
        }
        // Signed in at the provider: the failure count and any lockout (which guards the password) start again.
        await services.GetRequiredService<Storage.Stores.UserStore>().RecordSuccessAsync(user.Id, null, context.HttpContext.RequestAborted);
        context.Principal = ConsolePrincipal.For(user.Id, user.Name, user.OrganizationId, user.Role, user.SecurityStamp);
        context.Properties!.IsPersistent = false;
    }
}
