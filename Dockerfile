# syntax=docker/dockerfile:1
# Switchboard in a container: built and published with the .NET SDK, run on the chiseled ASP.NET Core runtime.
#   docker build -t switchboard .
#   docker run -p 8080:8080 -v switchboard-data:/data switchboard --demo
# A fleet (PostgreSQL, three replicas, a load balancer): deploy/compose.yaml. See docs/deployment.md.

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
# Restore from the project files alone first, so a change to the sources does not download every package again.
COPY Directory.Build.props .editorconfig ./
COPY src/Switchboard/Switchboard.csproj src/Switchboard/
COPY src/Switchboard.Simulator/Switchboard.Simulator.csproj src/Switchboard.Simulator/
RUN dotnet restore src/Switchboard/Switchboard.csproj
COPY src/Switchboard/ src/Switchboard/
COPY src/Switchboard.Simulator/ src/Switchboard.Simulator/
RUN dotnet publish src/Switchboard/Switchboard.csproj -c Release --no-restore -o /app -p:UseAppHost=false
# The data directory (SQLite for a single container), made here: the chiseled runtime has no shell to make it.
RUN mkdir -p /data

# Chiseled: no shell, no package manager, a non-root user by default, about half the size of the full runtime
# image. It lacks ICU and time zone data, which the gateway does not use (InvariantGlobalization, UTC only).
FROM mcr.microsoft.com/dotnet/aspnet:10.0-noble-chiseled AS runtime
WORKDIR /app
COPY --from=build /app ./
COPY --from=build --chown=$APP_UID:$APP_UID /data /data
# appsettings.json listens on 127.0.0.1:8088, unreachable from outside a container; an unprefixed variable wins
# over it. The data directory is absolute, so the working directory does not matter.
ENV Urls=http://0.0.0.0:8080 \
    Switchboard__Database__DataDirectory=/data
EXPOSE 8080
VOLUME /data
# The non-root user the .NET images provide (UID 1654).
USER $APP_UID
# Liveness only: the gateway's own executable asks /healthz (there is no curl or wget here). Orchestrators that route
# traffic ask /readyz themselves (deploy/compose.yaml, deploy/kubernetes).
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["dotnet", "/app/Switchboard.dll", "healthcheck"]
ENTRYPOINT ["dotnet", "/app/Switchboard.dll"]
