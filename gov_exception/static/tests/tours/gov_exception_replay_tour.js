import { registry } from "@web/core/registry";

registry.category("web_tour.tours").add("gov_exception_replay_tour", {
    steps: () => [
        {
            content: "The queue shows the failed contact sync",
            trigger: ".o_kanban_record:contains('Tour: contact sync refused')",
            run: "click",
        },
        {
            content: "The form shows why it failed",
            trigger: ".o_form_view .o_field_widget[name=last_error]:contains('Invalid website')",
        },
        {
            content: "Edit the payload and replay",
            trigger: ".o_form_view button[name=action_open_replay_wizard]",
            run: "click",
        },
        {
            content: "The payload is shown for editing",
            trigger: ".modal .o_field_widget[name=payload] textarea:value(htp:/broken)",
        },
        {
            content: "Fix the website in the payload",
            trigger: ".modal .o_field_widget[name=payload] textarea",
            run: 'edit {"name": "Tour Contact Fixed", "website": "https://fixed.example"}',
        },
        {
            content: "Replay",
            trigger: ".modal button[name=action_replay]",
            run: "click",
        },
        {
            content: "The item is resolved",
            trigger: ".o_form_view .o_statusbar_status button.o_arrow_button_current:contains('Resolved')",
        },
        {
            content: "and its history shows the edited replay",
            trigger: ".o_form_view .o_notebook a:contains('History')",
            run: "click",
        },
        {
            content: "The run is listed as a replay with an edited payload",
            trigger: ".o_field_widget[name=attempt_ids] td:contains('Replay with edited payload')",
        },
    ],
});
