# Multi-stage build of the portal host, with Wolverine's and Marten's code generated at build time
# so the container starts with TypeLoadMode=Static (no Roslyn at run time).
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY Directory.Build.props Directory.Packages.props Portal.sln ./
COPY src/ src/
RUN dotnet restore src/Host/Portal.Host.csproj
# codegen needs a connection string to build the host, but never connects.
RUN ConnectionStrings__Portal="Host=unused;Database=unused" \
    dotnet run --project src/Host/Portal.Host.csproj -c Release -- codegen write
# ReadyToRun for the architecture being built, for the frameworks src/Host/Portal.Host.csproj selects: their
# start-up code compiled ahead of time, so a new replica answers sooner (./portal bench publishes the same way).
ARG TARGETARCH
RUN rid="linux-$([ "$TARGETARCH" = arm64 ] && echo arm64 || echo x64)" \
    && dotnet publish src/Host/Portal.Host.csproj -c Release -r "$rid" --self-contained false -p:PublishReadyToRun=true -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
COPY --from=build /app .
ENV ASPNETCORE_URLS=http://+:8080 \
    ASPNETCORE_ENVIRONMENT=Production \
    Portal__TypeLoadMode=Static
EXPOSE 8080
USER $APP_UID
ENTRYPOINT ["dotnet", "Portal.Host.dll"]
