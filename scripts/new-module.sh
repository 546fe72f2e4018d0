#!/usr/bin/env bash
# Creates a new Portal module from templates/module and registers it in the host and the solution.
#   scripts/new-module.sh Referrals
# Creates src/Modules/Referrals (project, ReferralsModule entry point, a roster copy, a slice with its JSON endpoint
# and page, a handler), the contract message it publishes (src/Contracts/ReferralsNotes.cs) and
# tests/Portal.Tests/Referrals; adds the module to src/Host/PortalModules.cs, the host's project references and
# Portal.sln. Then: dotnet build Portal.sln && ./portal test --filter "FullyQualifiedName~Portal.Tests.Referrals"
set -euo pipefail
name="${1:?usage: scripts/new-module.sh ModuleName (PascalCase)}"
[[ "$name" =~ ^[A-Z][A-Za-z0-9]+$ ]] || { echo "module name must be PascalCase letters and digits: $name" >&2; exit 2; }
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
[ -e "src/Modules/$name" ] && { echo "src/Modules/$name already exists" >&2; exit 2; }

# A private template cache, so the user's own dotnet new state is left alone.
export DOTNET_CLI_HOME="${DOTNET_CLI_HOME:-$repo/.data/dotnet-new}"
mkdir -p "$DOTNET_CLI_HOME"
dotnet new install "$repo/templates/module" --force >/dev/null
dotnet new portal-module -n "$name" -o "$repo" >/dev/null

python3 - "$name" <<'PY'
import re, sys
name = sys.argv[1]
modules = "src/Host/PortalModules.cs"
s = open(modules).read()
s = s.replace("    ];", f"        new Portal.{name}.{name}Module(),\n    ];", 1)
open(modules, "w").write(s)
host = "src/Host/Portal.Host.csproj"
s = open(host).read()
ref = f'    <ProjectReference Include="../Modules/{name}/Portal.{name}.csproj" />\n'
s = re.sub(r'(\s*<ProjectReference Include="\.\./Modules/[^"]+" />\n)(?!\s*<ProjectReference Include="\.\./Modules)', lambda m: m.group(1) + ref, s, count=1)
open(host, "w").write(s)
PY
dotnet sln Portal.sln add "src/Modules/$name/Portal.$name.csproj" >/dev/null
echo "created module $name: src/Modules/$name, tests/Portal.Tests/$name"
