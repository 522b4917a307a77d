using YamlDotNet.RepresentationModel;
using static AgentGrid.Tests.Kubernetes.Manifests;

namespace AgentGrid.Tests.Kubernetes;

/// <summary>
/// The manifests in k8s/ harden what they run: restricted pod security, network policies, an Ingress that serves only
/// the public surface over TLS, and mutual TLS between silos and front doors in production.
/// </summary>
public sealed class PodSecurityTests
{
    [Fact]
    public void Every_workload_runs_as_non_root_with_a_read_only_root_file_system_and_no_capabilities()
    {
        var workloads = Objects().Where(o => Text(o.Object, "kind") is "Deployment" or "StatefulSet" && At(o.Object, "spec", "template") is not null).ToList();
        var failures = new List<string>();
        foreach (var (file, workload) in workloads)
        {
            var subject = $"{file}: {Text(workload, "kind")} {Text(workload, "metadata", "name")}";
            var pod = At(workload, "spec", "template", "spec");
            if (Text(pod, "securityContext", "runAsNonRoot") != "true") failures.Add($"{subject}: securityContext.runAsNonRoot is not true");
            if (Text(pod, "securityContext", "seccompProfile", "type") != "RuntimeDefault") failures.Add($"{subject}: securityContext.seccompProfile.type is not RuntimeDefault");
            foreach (var container in Items(pod, "initContainers").Concat(Items(pod, "containers")))
            {
                var context = At(container, "securityContext");
                var at = $"{subject}, container {Text(container, "name")}";
                if (Text(context, "allowPrivilegeEscalation") != "false") failures.Add($"{at}: allowPrivilegeEscalation is not false");
                if (Text(context, "readOnlyRootFilesystem") != "true") failures.Add($"{at}: readOnlyRootFilesystem is not true");
                if (!Items(context, "capabilities", "drop").Any(c => c is YamlScalarNode { Value: "ALL" })) failures.Add($"{at}: capabilities.drop does not contain ALL");
            }
        }

        Assert.True(workloads.Count >= 5, $"Expected the silos, the front door, PostgreSQL and Redis; found {workloads.Count} workloads.");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public void The_namespace_enforces_the_restricted_pod_security_standard()
    {
        var space = Assert.Single(OfKind("Namespace"));

        Assert.Equal("restricted", Text(space, "metadata", "labels", "pod-security.kubernetes.io/enforce"));
    }

    [Fact]
    public void The_ingress_serves_tls_and_routes_neither_metrics_nor_the_dashboard()
    {
        var ingress = Assert.Single(OfKind("Ingress"));
        var paths = Items(ingress, "spec", "rules").SelectMany(rule => Items(rule, "http", "paths"))
            .Select(p => (Path: Text(p, "path") ?? "/", Type: Text(p, "pathType") ?? "Prefix")).ToList();

        Assert.Contains(Items(ingress, "spec", "tls"), tls => Text(tls, "secretName") is { Length: > 0 } && Items(tls, "hosts").Any());
        Assert.Null(At(ingress, "spec", "defaultBackend"));
        foreach (var hidden in new[] { "/metrics", "/dashboard", "/dashboard/index.html" })
        {
            Assert.False(paths.Any(p => Routes(p.Path, p.Type, hidden)), $"The Ingress routes {hidden}.");
        }

        foreach (var open in new[] { "/", "/app.js", "/api/agents", "/v1/chat/completions", "/hubs/chat", "/openapi/v1.json" })
        {
            Assert.True(paths.Any(p => Routes(p.Path, p.Type, open)), $"The Ingress does not route {open}.");
        }
    }

    /// <summary>Kubernetes Ingress matching: Exact is the path itself; Prefix matches whole path elements.</summary>
    private static bool Routes(string path, string type, string request)
    {
        if (type == "Exact")
        {
            return request == path;
        }

        var prefix = path.TrimEnd('/');
        return prefix.Length == 0 || request == prefix || request.StartsWith(prefix + "/", StringComparison.Ordinal);
    }

    [Fact]
    public void Ingress_is_denied_by_default_and_only_silos_reach_the_silo_port()
    {
        var policies = OfKind("NetworkPolicy");
        var siloPolicies = policies.Where(p => Text(p, "spec", "podSelector", "matchLabels", "app.kubernetes.io/name") is null or "agentgrid-silo").ToList();
        var siloPortRules = siloPolicies.SelectMany(p => Items(p, "spec", "ingress")).Where(rule => Covers(rule, "11111", "silo")).ToList();

        Assert.Contains(policies, p => At(p, "spec", "podSelector") is YamlMappingNode { Children.Count: 0 }
            && Items(p, "spec", "policyTypes").Any(t => t is YamlScalarNode { Value: "Ingress" })
            && !Items(p, "spec", "ingress").Any());
        Assert.NotEmpty(siloPortRules);
        Assert.All(siloPortRules, rule => Assert.True(Items(rule, "from").Any() && Items(rule, "from").All(IsSilo),
            "A rule lets something other than silos reach port 11111."));
    }

    [Fact]
    public void No_pod_reaches_a_metadata_service_and_front_doors_mount_no_service_account_token()
    {
        var egress = OfKind("NetworkPolicy").Where(p => Items(p, "spec", "policyTypes").Any(t => t is YamlScalarNode { Value: "Egress" })).ToList();
        var frontDoor = Objects().Single(o => o.File.StartsWith("base", StringComparison.Ordinal) && Text(o.Object, "kind") == "Deployment"
            && Text(o.Object, "metadata", "name") == "agentgrid-frontdoor").Object;

        foreach (var name in new[] { "agentgrid-silo", "agentgrid-frontdoor" })
        {
            var policy = Assert.Single(egress, p => Text(p, "spec", "podSelector", "matchLabels", "app.kubernetes.io/name") == name);
            var blocks = Items(policy, "spec", "egress").SelectMany(rule => Items(rule, "to")).Select(peer => At(peer, "ipBlock")).OfType<YamlMappingNode>().ToList();
            var v4 = Assert.Single(blocks, b => Text(b, "cidr") == "0.0.0.0/0");
            Assert.Contains(Items(v4, "except"), e => e is YamlScalarNode { Value: "169.254.0.0/16" });
            Assert.Contains(Items(v4, "except"), e => e is YamlScalarNode { Value: "168.63.129.16/32" });
        }

        Assert.Equal("false", Text(frontDoor, "spec", "template", "spec", "automountServiceAccountToken"));
    }

    /// <summary>Whether a policy rule admits the port: rules without ports admit every port.</summary>
    private static bool Covers(YamlNode rule, params string[] port) =>
        !Items(rule, "ports").Any() || Items(rule, "ports").Any(p => Text(p, "port") is not { } number || port.Contains(number));

    private static bool IsSilo(YamlNode peer) => peer is YamlMappingNode { Children.Count: 1 }
        && Text(peer, "podSelector", "matchLabels", "app.kubernetes.io/name") == "agentgrid-silo";

    [Fact]
    public void The_production_overlay_turns_cluster_tls_on_for_silos_and_front_doors()
    {
        var folder = Path.Combine(Folder, "overlays", "production");
        var kustomization = Documents(File.ReadAllText(Path.Combine(folder, "kustomization.yaml")))[0];
        var patches = Items(kustomization, "patches")
            .Select(entry => (Entry: entry, Patch: Documents(Text(entry, "patch") ?? File.ReadAllText(Path.Combine(folder, Text(entry, "path")!)))[0]))
            .ToList();
        var deployments = Objects().Where(o => o.File.StartsWith("base", StringComparison.Ordinal) && Text(o.Object, "kind") == "Deployment").Select(o => o.Object).ToList();

        foreach (var name in new[] { "agentgrid-silo-gpu", "agentgrid-silo-cpu", "agentgrid-frontdoor" })
        {
            var deployment = deployments.Single(d => Text(d, "metadata", "name") == name);
            Assert.True(patches.Any(p => Targets(p.Entry, p.Patch, deployment) && TurnsTlsOn(p.Patch)),
                $"No patch of the production overlay sets AgentGrid__Cluster__Tls__CertificatePath and mounts agentgrid-cluster-tls in {name}.");
        }
    }

    /// <summary>Whether a kustomize patch applies to the Deployment: its target (kind, name, label selector) or, without one, its own name.</summary>
    private static bool Targets(YamlNode entry, YamlNode patch, YamlNode deployment)
    {
        var target = At(entry, "target");
        var name = Text(deployment, "metadata", "name");
        if (target is null)
        {
            return Text(patch, "metadata", "name") == name;
        }

        var kind = Text(target, "kind") is null or "Deployment";
        var named = Text(target, "name") is not { } wanted || wanted == name;
        var labelled = (Text(target, "labelSelector") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries)
            .All(pair => pair.Split('=') is [var key, var value] && Text(deployment, "metadata", "labels", key.Trim()) == value.Trim());
        return kind && named && labelled;
    }

    private static bool TurnsTlsOn(YamlNode patch)
    {
        var pod = At(patch, "spec", "template", "spec");
        var volume = Items(pod, "volumes").FirstOrDefault(v => Text(v, "secret", "secretName") == "agentgrid-cluster-tls");
        return volume is not null && Items(pod, "containers").Any(c =>
            Items(c, "env").Any(e => Text(e, "name") == "AgentGrid__Cluster__Tls__CertificatePath")
            && Items(c, "volumeMounts").Any(m => Text(m, "name") == Text(volume, "name") && Text(m, "readOnly") == "true"));
    }

    [Fact]
    public void No_manifest_sets_the_removed_admin_password()
    {
        var offenders = ManifestFiles().Where(file => File.ReadAllText(file).Contains("AgentGrid__Admin__Password", StringComparison.Ordinal))
            .Select(file => Path.GetRelativePath(Folder, file)).ToList();

        Assert.True(offenders.Count == 0, $"AgentGrid__Admin__Password is gone but still set in: {string.Join(", ", offenders)}");
    }
}
