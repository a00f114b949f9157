// FormTemplateTests
