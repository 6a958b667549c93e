using MeTAI.Service.Audit;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MeTAI.Service.Users;

/// <summary>
/// Admin endpoints (<see cref="Permissions.Admin"/>): <c>GET /api/users</c>; <c>POST /api/users</c> <c>{name, role}</c>
/// → the one-time password; <c>PUT /api/users/{name}/role</c> <c>{role}</c>; <c>POST /api/users/{name}/revoke</c>.
/// The CLI (<c>metai users …</c>) does the same on the data directory.
/// </summary>
public static class UsersApi
{
    /// <summary>A new user.</summary>
    public sealed record NewUser(string? Name, string? Role);

    /// <summary>A role change.</summary>
    public sealed record RoleChange(string? Role);

    /// <summary>Maps the user endpoints.</summary>
    public static IEndpointRouteBuilder MapUsersApi(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        RouteGroupBuilder users = app.MapGroup("/api/users").WithTags("Users").RequireAuthorization(Permissions.Admin);
        users.MapGet("/", (UserStore store) => TypedResults.Ok(store.List().Select(u => new
        {
            u.Name,
            role = Permissions.Name(u.Role),
            u.CreatedUtc,
            u.MustChangePassword,
            tokens = store.Tokens(u.Name).Select(t => new { t.Id, t.CreatedUtc, t.ExpiresUtc, t.RevokedUtc }),
        })));
        users.MapPost("/", Results<Created<object>, ProblemHttpResult> (NewUser body, UserStore store, PhiAudit audit, HttpContext context) =>
        {
            try
            {
                Role role = Permissions.ParseRole(body.Role ?? string.Empty);
                string password = store.Add(body.Name ?? string.Empty, role);
                audit.Record(context, "userAdded", ("account", body.Name!), ("accountRole", Permissions.Name(role)));
                return TypedResults.Created($"/api/users/{body.Name}", (object)new { name = body.Name, role = Permissions.Name(role), oneTimePassword = password });
            }
            catch (ArgumentException ex)
            {
                return TypedResults.Problem(ex.Message.Split(" (Parameter")[0], statusCode: StatusCodes.Status400BadRequest, title: "User not added");
            }
        });
        users.MapPut("/{name}/role", Results<NoContent, ProblemHttpResult> (string name, RoleChange body, UserStore store, PhiAudit audit, HttpContext context) =>
        {
            try
            {
                Role role = Permissions.ParseRole(body.Role ?? string.Empty);
                store.SetRole(name, role);
                audit.Record(context, "roleChanged", ("account", name), ("accountRole", Permissions.Name(role)));
                return TypedResults.NoContent();
            }
            catch (ArgumentException ex)
            {
                return TypedResults.Problem(ex.Message.Split(" (Parameter")[0], statusCode: StatusCodes.Status400BadRequest, title: "Role not changed");
            }
        });
        users.MapPost("/{name}/revoke", Results<Ok<object>, ProblemHttpResult> (string name, UserStore store, PhiAudit audit, HttpContext context) =>
        {
            try
            {
                int n = store.Revoke(name);
                audit.Record(context, "revoked", ("account", name), ("tokens", n.ToString(System.Globalization.CultureInfo.InvariantCulture)));
                return TypedResults.Ok((object)new { name, tokensRevoked = n });
            }
            catch (ArgumentException ex)
            {
                return TypedResults.Problem(ex.Message.Split(" (Parameter")[0], statusCode: StatusCodes.Status404NotFound, title: "No such user");
            }
        });
        return app;
    }
}
