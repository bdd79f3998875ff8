import { Component, onWillStart, useState } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { Layout } from "@web/search/layout";
import { standardActionServiceProps } from "@web/webclient/actions/action_service";

/**
 * Process health of the governance suite: each module contributes sections
 * of figures, bar charts and (for administrators) a first-run checklist
 * (see gov.dashboard._gov_dashboard_sections); a click on a figure or a bar
 * opens the records behind it.
 */
export class GovDashboard extends Component {
    static template = "gov_base.GovDashboard";
    static components = { Layout };
    static props = { ...standardActionServiceProps };

    setup() {
        this.orm = useService("orm");
        this.action = useService("action");
        this.state = useState({ sections: [], loaded: false });
        this.env.config.setDisplayName(this.props.action.name || _t("Dashboard"));
        onWillStart(() => this.load());
    }

    async load() {
        this.state.sections = await this.orm.call("gov.dashboard", "get_dashboard_data", []);
        this.state.loaded = true;
    }

    open(item) {
        if (item.action) {
            this.action.doAction(item.action);
        }
    }

    severityClass(kpi) {
        return (
            { danger: "text-danger", warning: "text-warning" }[kpi.severity] || "text-body"
        );
    }

    trendClass(trend) {
        if (trend.direction === "flat") {
            return "text-muted";
        }
        return trend.good ? "text-success" : "text-danger";
    }

    trendIcon(trend) {
        return { up: "fa-arrow-up", down: "fa-arrow-down", flat: "fa-minus" }[trend.direction];
    }

    barLabel(chart, value) {
        return chart.unit ? `${value.value} ${chart.unit}` : `${value.value}`;
    }
}

registry.category("actions").add("gov_base.dashboard", GovDashboard);
